#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::github {

// A GitHub webhook payload (already verified) as the SDK's events: pull_request,
// pull_request_review, issue_comment, merge_group, installation, installation_repositories,
// check_run / check_suite re-requests, push and ping; anything else is one event of kind
// Other, so that it is acknowledged and counted rather than refused.
class GithubEventParser {
 public:
  static sdk::Result<std::vector<sdk::ForgeEvent>> parse(const std::string& eventName, const std::string& deliveryId,
                                                         const std::string& body, const std::string& forgeId);
};

}  // namespace ekaci::github
