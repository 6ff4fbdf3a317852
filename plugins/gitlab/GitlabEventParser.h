#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::gitlab {

// GitLab's webhook payloads as events, by X-Gitlab-Event: "Merge Request Hook" (open;
// update with new commits, recognised by `oldrev`, or without them; reopen; close; merge;
// approved; unapproved), "Note Hook" on merge requests, "Push Hook". Everything else is one
// event of kind Other. GitLab names no target commit: baseSha stays empty and the kernel
// reviews against the target branch.
class GitlabEventParser {
 public:
  static sdk::Result<std::vector<sdk::ForgeEvent>> parse(const std::string& eventName, const std::string& deliveryId,
                                                         const std::string& body, const std::string& forgeId);
};

}  // namespace ekaci::gitlab
