#include "kernel/publish/CachePermissions.h"

#include <algorithm>

#include "kernel/config/Glob.h"

namespace ekaci::publish {
namespace {

bool anyMatches(const std::vector<std::string>& patterns, const std::string& text) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return p == "*" || config::Glob::match(p, text); });
}

}  // namespace

bool CachePermissions::allows(const config::PermissionsConfig& permissions, const std::string& repository,
                              const std::string& branch) {
  return refusal(permissions, repository, branch).empty();
}

std::string CachePermissions::refusal(const config::PermissionsConfig& permissions, const std::string& repository,
                                      const std::string& branch) {
  if (permissions.allowAll) return "";
  if (!anyMatches(permissions.allowedRepos, repository)) return "repository " + repository + " is not in allowed_repos";
  if (permissions.allowedBranches.empty()) return "";
  if (branch.empty()) return "the build has no branch and allowed_branches is set";
  if (!anyMatches(permissions.allowedBranches, branch)) return "branch " + branch + " is not in allowed_branches";
  return "";
}

}  // namespace ekaci::publish
