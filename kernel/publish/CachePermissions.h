#pragma once

#include <string>

#include "kernel/config/ServerConfig.h"

namespace ekaci::publish {

// Whether a repository ("owner/name") and branch may use a cache (or app): allow_all, or the
// repository matching one of allowed_repos and the branch one of allowed_branches (an empty
// branch list allows every branch of an allowed repository). Patterns are globs ("myorg/*",
// "release/*", "*/hotfix"); a lone "*" matches everything, slashes included.
class CachePermissions {
 public:
  static bool allows(const config::PermissionsConfig& permissions, const std::string& repository,
                     const std::string& branch);
  // Why not, for a log line and the report ("repository other/repo is not in allowed_repos").
  static std::string refusal(const config::PermissionsConfig& permissions, const std::string& repository,
                             const std::string& branch);
};

}  // namespace ekaci::publish
