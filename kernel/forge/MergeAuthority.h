#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"
#include "kernel/forge/ChangedPackages.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// Who may merge a pull request (and cancel a merge): a user with write, maintain or admin
// permission on the repository (asked of the forge, cached briefly), or a maintainer of
// every package the pull request changes. A pull request that changes no package can only
// be merged with permission: "every package" of nothing is nobody's to claim.
//
// Threading: any thread.
class MergeAuthority {
 public:
  struct Services {
    storage::Storage& storage;
    ForgeInstances& forges;
    const sdk::Clock& clock;
  };
  struct Decision {
    bool allowed = false;
    bool byPermission = false;
    sdk::Permission permission = sdk::Permission::None;
    std::vector<std::string> notMaintained;  // changed packages the user does not maintain
  };

  MergeAuthority(Services services, std::chrono::seconds permissionTtl = std::chrono::seconds(60))
      : services_(services), ttl_(permissionTtl) {}

  sdk::Result<Decision> decide(const std::string& forgeId, const sdk::RepositoryRef& repository,
                               const std::string& login, const std::vector<ChangedPackage>& changed);
  sdk::Result<sdk::Permission> permission(const std::string& forgeId, const sdk::RepositoryRef& repository,
                                          const std::string& login);
  // Maintainers (lower-case logins) of each package: the base's meta.maintainers as the
  // review saw them, plus the maintainers table (meta and admin rows).
  sdk::Result<std::map<std::string, std::set<std::string>>> maintainersOf(const std::vector<ChangedPackage>& changed);

  static std::string lower(std::string text);

 private:
  struct Cached {
    sdk::Permission permission = sdk::Permission::None;
    std::chrono::steady_clock::time_point expires;
  };
  Services services_;
  std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::map<std::string, Cached> permissions_;
};

}  // namespace ekaci::forge
