#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::forgekit {

// A forge access token as the configuration gives it: `token = "…"` (the manual's form) or
// `credentials = { … }` through any credential source, whose entry `name` (GITEA_TOKEN,
// GITLAB_TOKEN) is the token. A token from a source is fetched when first needed and again
// after `reuseFor`, so a rotated secret is picked up without a restart.
//
// Threading: any thread.
class AccessToken {
 public:
  AccessToken(std::optional<sdk::Secret> token, sdk::Value credentials, std::string name, sdk::HostServices& host,
              std::chrono::seconds reuseFor = std::chrono::seconds(300));

  // From a plugin's settings: "token" and "credentials".
  static std::unique_ptr<AccessToken> fromSettings(const sdk::Value& settings, std::string name,
                                                   sdk::HostServices& host);

  bool configured() const;
  // The token's text, for one request header. ForgeAuthentication when none is configured.
  sdk::Result<std::string> reveal();
  // The token as git's credentials (user "oauth2", which Gitea and GitLab accept with any
  // token); NotFound when no token is configured (public repositories are fetched without).
  sdk::Result<sdk::CloneCredentials> cloneCredentials();

 private:
  std::mutex mutex_;
  std::optional<sdk::Secret> token_;
  std::optional<sdk::Secret> fetched_;
  std::chrono::steady_clock::time_point fetchedAt_{};
  sdk::Value credentials_;
  std::string name_;
  sdk::HostServices& host_;
  std::chrono::seconds reuseFor_;
};

}  // namespace ekaci::forgekit
