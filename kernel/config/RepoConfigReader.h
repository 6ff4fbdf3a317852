#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"
#include "kernel/config/RepoConfig.h"

namespace ekaci::config {

// Reads and checks a repository's configuration from a checkout.
//
// Looks for .ekaci/config.json, then .eka-ci/config.json. Without either, a default job is
// made from the first of default.nix, release.nix (legacy evaluator) or flake.nix
// (flake-checks). Refused with an error naming the field: absolute paths, "..", symlinks
// that leave the checkout, files over 1 MiB, nesting deeper than 32, wrong types, unknown
// cache ids, hook commands not on the server's allow-list. Unknown keys are warnings.
class RepoConfigReader {
 public:
  struct ServerPolicy {
    std::vector<std::string> cacheIds;
    std::vector<std::string> allowedHookCommands;
    std::size_t maxJobs = 32;  // jobs one repository config may declare (max_jobs_per_config)
  };

  static constexpr std::size_t kMaxBytes = std::size_t{1024} * 1024;
  static constexpr int kMaxDepth = 32;

  explicit RepoConfigReader(ServerPolicy policy) : policy_(std::move(policy)) {}

  sdk::Result<RepoConfig> read(const std::filesystem::path& checkout) const;
  // Parses and checks config text as if it were `sourceName` inside `checkout`.
  sdk::Result<RepoConfig> parse(const std::string& text, const std::string& sourceName,
                                const std::filesystem::path& checkout) const;

  // JSON text to the SDK's Value tree (used by the fuzz target too).
  static sdk::Result<sdk::Value> jsonToValue(const std::string& text, const std::string& sourceName);

 private:
  ServerPolicy policy_;
};

}  // namespace ekaci::config
