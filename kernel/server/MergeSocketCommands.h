#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "kernel/forge/MergeApi.h"
#include "kernel/server/ApiTokens.h"

namespace ekaci::server {

// Merging over the Unix socket, whose users administer the server: "merge-eligibility",
// "auto-merge" (enable true/false, method), "merge" (method), "maintainers" (attr),
// "maintainer" (attr, user, remove) and "token" (user, admin, hours) — a bearer token
// for the HTTP API's write endpoints.
class MergeSocketCommands {
 public:
  MergeSocketCommands(forge::MergeApi& api, const ApiTokens& tokens) : api_(api), tokens_(tokens) {}

  static bool handles(const std::string& command);
  std::string handle(const std::string& command, const Poco::JSON::Object& request) const;

 private:
  forge::MergeApi& api_;
  const ApiTokens& tokens_;
};

}  // namespace ekaci::server
