#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Cache.h"

namespace ekaci::plugins::caches {

// `cachix push <name> <paths>` with CACHIX_AUTH_TOKEN (and CACHIX_SIGNING_KEY when the
// credentials carry one) in cachix's environment, never on its command line. What the cache
// holds is asked of its binary-cache address (<cache_url>/<hash>.narinfo), so paths already
// there are not pushed again.
class CachixCache : public sdk::Cache {
 public:
  struct Settings {
    std::string name;
    std::string cacheUrl;  // https://<name>.cachix.org
    std::string cachixProgram = "cachix";
    sdk::Value credentials;
  };

  CachixCache(Settings settings, sdk::HostServices& host) : settings_(std::move(settings)), host_(host) {}

  sdk::Result<sdk::CachePushResult> push(const sdk::CachePushRequest& request) override;
  sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) override;
  std::string describe() const override { return "cachix " + settings_.name; }

 private:
  sdk::Result<std::vector<bool>> held(const std::vector<std::string>& storePaths, const sdk::Credentials& credentials);

  Settings settings_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::plugins::caches
