#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::github {

// One GitHub App: its id and private key (from its credential source, read when first
// needed), the repositories it may serve (permissions), its API base, the app JWT (RS256,
// issued 60 s in the past, valid 9 minutes, reused until a minute before it expires) and
// one installation token per installation, cached until five minutes before it expires.
//
// Threading: any thread; the caches are guarded.
class GithubApp {
 public:
  struct Settings {
    std::string id;
    std::string apiUrl = "https://api.github.com";
    sdk::Value credentials;
    bool allowAll = true;
    std::vector<std::string> allowedRepos;     // globs of owner/name
    std::vector<std::string> allowedBranches;  // globs of base branches; empty: all
  };

  GithubApp(Settings settings, sdk::HostServices& host);

  const std::string& id() const noexcept { return settings_.id; }
  const std::string& apiUrl() const noexcept { return settings_.apiUrl; }
  bool allows(const std::string& fullName) const;

  // "Bearer <jwt>" for the app's own endpoints.
  sdk::Result<std::string> appAuthorization();
  // An installation token for the repository (its installation id, or looked up).
  sdk::Result<sdk::Secret> installationToken(const sdk::RepositoryRef& repository);
  // Forgets a token the API refused, so that the next call gets a fresh one.
  void forgetToken(const sdk::RepositoryRef& repository);
  // The numeric app id, once the credentials were read ("" before).
  std::string appId();

 private:
  sdk::Result<void> loadKey();
  sdk::Result<std::string> installationOf(const sdk::RepositoryRef& repository);

  struct Token {
    sdk::Secret value;
    std::chrono::system_clock::time_point expires;
  };

  Settings settings_;
  sdk::HostServices& host_;
  std::mutex mutex_;
  std::string appId_;
  std::optional<sdk::Secret> key_;
  std::string jwt_;
  std::chrono::system_clock::time_point jwtExpires_{};
  std::map<std::string, Token> tokens_;               // installation id -> token
  std::map<std::string, std::string> installations_;  // owner/name -> installation id
};

}  // namespace ekaci::github
