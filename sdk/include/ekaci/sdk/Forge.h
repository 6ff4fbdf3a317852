#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::sdk {

// A code forge: GitHub, Gitea or GitLab.
//
// Threading: verifyWebhook() and parseWebhook() are called on HTTP threads, concurrently;
// the other methods on the kernel's forge worker threads, concurrently. Implementations
// guard their own shared state.
// Ownership: arguments are borrowed for the call.
class EKACI_SDK_API Forge {
 public:
  virtual ~Forge();

  virtual ForgeCapabilities capabilities() const = 0;

  // Authenticates a delivery before anything in it is parsed (HMAC signature or token).
  // WebhookSignatureMissing / WebhookSignatureInvalid when it does not verify.
  virtual Result<void> verifyWebhook(const WebhookRequest& request) const = 0;

  // Turns a verified delivery into events; an event the server does not act on yields an
  // empty list, a malformed body WebhookMalformed.
  virtual Result<std::vector<ForgeEvent>> parseWebhook(const WebhookRequest& request) const = 0;

  // Creates or updates the report named report.name on the commit; returns the forge's id
  // for it (check-run id, status id).
  virtual Result<std::string> report(const RepositoryRef& repository, const std::string& commitSha,
                                     const StatusReport& report) = 0;

  // Comments on a change request; returns the comment id.
  virtual Result<std::uint64_t> comment(const ChangeRequestRef& changeRequest, const std::string& markdown) = 0;

  virtual Result<void> react(const ChangeRequestRef& changeRequest, std::uint64_t commentId, Reaction reaction) = 0;

  virtual Result<Permission> permissionOf(const RepositoryRef& repository, const std::string& user) = 0;

  // Merges only if the head is still expectedHeadSha (no race with a new push).
  virtual Result<void> merge(const ChangeRequestRef& changeRequest, MergeMethod method,
                             const std::string& expectedHeadSha) = 0;

  virtual Result<CloneCredentials> cloneCredentials(const RepositoryRef& repository) = 0;
};

}  // namespace ekaci::sdk
