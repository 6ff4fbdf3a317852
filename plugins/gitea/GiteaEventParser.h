#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::gitea {

// Gitea's and Forgejo's webhook payloads as events. `eventType` is X-Gitea-Event-Type
// (finer: pull_request_sync, pull_request_comment, pull_request_review_approved) or, from
// older servers, X-Gitea-Event (pull_request, issue_comment, pull_request_approved):
// pull requests opened, synchronized, reopened, closed (merged or not) and edited;
// comments created on pull requests; reviews approved or rejected; pushes. Everything
// else is one event of kind Other.
class GiteaEventParser {
 public:
  static sdk::Result<std::vector<sdk::ForgeEvent>> parse(const std::string& eventType, const std::string& deliveryId,
                                                         const std::string& body, const std::string& forgeId);
};

}  // namespace ekaci::gitea
