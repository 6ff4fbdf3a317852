#pragma once

#include <string>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// Permissions and merges.
//
// Threading: called on the kernel's forge worker threads, concurrently.
class EKACI_SDK_API ForgeMerges {
 public:
  virtual ~ForgeMerges();

  virtual Result<Permission> permissionOf(const RepositoryRef& repository, const std::string& user) = 0;

  // Merges only if the head is still expectedHeadSha (no race with a new push).
  virtual Result<void> merge(const ChangeRequestRef& changeRequest, MergeMethod method,
                             const std::string& expectedHeadSha) = 0;
};

}  // namespace ekaci::sdk
