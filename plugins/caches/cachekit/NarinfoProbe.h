#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/HttpClient.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::plugins::caches {

// Asks a binary cache served over HTTP (Cachix, Attic, any Nix binary cache) which store
// paths it holds, by requesting <base>/<hash>.narinfo: 200 held, 404 not held.
class NarinfoProbe {
 public:
  // `base` without a trailing slash; `token` (may be null) is sent as a bearer token.
  // Another status, or a transport failure, is CacheUnavailable.
  static sdk::Result<std::vector<bool>> contains(sdk::HttpClient& http, const std::string& base,
                                                 const std::vector<std::string>& storePaths, const sdk::Secret* token);
  // The 32-character hash of "/nix/store/<hash>-<name>", or "" when it is not a store path.
  static std::string hashOf(const std::string& storePath);
};

}  // namespace ekaci::plugins::caches
