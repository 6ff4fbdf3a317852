#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Cache.h"

namespace ekaci::plugins::caches {

// `nix copy --to <destination>` of the outputs' closure: S3 (s3://bucket?region=...),
// HTTP(S) binary caches, file:// and ssh:// stores — anything Nix can copy to. Before the
// copy the closure is asked of the destination (nix path-info --store), so what the cache
// already holds is counted as present and not uploaded again. A signing key, when set, is
// passed as the store's secret-key parameter; credentials become the environment of nix.
class NixCopyCache : public sdk::Cache {
 public:
  struct Settings {
    std::string destination;
    std::string secretKeyFile;  // empty: no signing by eka-ci
    std::string nixProgram = "nix";
    sdk::Value credentials;  // Null: none
  };

  NixCopyCache(Settings settings, sdk::HostServices& host) : settings_(std::move(settings)), host_(host) {}

  sdk::Result<sdk::CachePushResult> push(const sdk::CachePushRequest& request) override;
  sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) override;
  std::string describe() const override { return "nix copy to " + settings_.destination; }

 private:
  struct PathSize {
    std::string path;
    std::uint64_t narSize = 0;
  };
  std::vector<std::string> nix(std::vector<std::string> args) const;
  std::string copyDestination() const;
  sdk::Result<std::vector<PathSize>> closure(const std::vector<std::string>& paths, std::chrono::seconds timeout);
  sdk::Result<std::vector<bool>> held(const std::vector<std::string>& paths, const sdk::Credentials& credentials,
                                      std::chrono::seconds timeout);

  Settings settings_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::plugins::caches
