#pragma once

#include <cstdint>
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

  // The user's permission on the repository (None for a stranger, not an error).
  virtual Result<Permission> permissionOf(const RepositoryRef& repository, const std::string& user) = 0;

  // The merge methods the repository's settings allow.
  virtual Result<MergeSettings> mergeSettings(const RepositoryRef& repository) = 0;

  // When a commit was committed (Unix seconds; the committer date), for refusing a command
  // that was typed before the head it would merge was pushed.
  virtual Result<std::int64_t> commitTime(const RepositoryRef& repository, const std::string& sha) = 0;

  // Merges only if the head is still expectedHeadSha (no race with a new push). Errors:
  // ForgeHeadChanged (the head moved), ForgeNotMergeable (conflicts, protection),
  // ForgeMergeMethodNotAllowed, and the usual forge errors.
  virtual Result<void> merge(const ChangeRequestRef& changeRequest, MergeMethod method,
                             const std::string& expectedHeadSha) = 0;
};

}  // namespace ekaci::sdk
