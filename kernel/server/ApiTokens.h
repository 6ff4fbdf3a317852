#pragma once

#include <chrono>
#include <string>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"
#include "kernel/forge/MergeApi.h"

namespace ekaci::server {

// Bearer tokens of the HTTP API: JWTs signed with HS256 under oauth.jwt_secret (random per
// start when unset, so tokens die with the process), carrying the manual's claims — sub and
// username (the forge login), is_admin, iat, exp. Issued over the Unix socket (`ekaci
// token`), whose users administer the server; verified on every write request.
class ApiTokens {
 public:
  ApiTokens(sdk::Secret secret, const sdk::Clock& clock) : secret_(std::move(secret)), clock_(clock) {}

  // A secret of 32 random bytes, for a server without oauth.jwt_secret.
  static sdk::Secret randomSecret();

  std::string issue(const std::string& login, bool admin, std::chrono::seconds ttl) const;
  // The actor an "Authorization: Bearer <jwt>" header names; PermissionDenied when absent,
  // not HS256, badly signed, expired or without a username.
  sdk::Result<forge::MergeApi::Actor> verify(const std::string& authorization) const;

 private:
  sdk::Secret secret_;
  const sdk::Clock& clock_;
};

}  // namespace ekaci::server
