#pragma once

#include <chrono>
#include <string>

#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/Result.h"
#include "kernel/forge/AutoMerger.h"
#include "kernel/forge/CommandRateLimiter.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/forge/MergeAuthority.h"
#include "kernel/forge/ReportOutbox.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// "@eka-ci merge [merge|squash|rebase|cancel]" in a new pull-request comment, the same for
// every forge. Comments by bots are ignored; one command per user and repository per
// interval (the rest dropped silently). A merge needs MergeAuthority's consent; a head
// committed more than the grace after the comment was written refuses it (the commenter
// cannot have seen it); an accepted one is pinned to the head, acknowledged (+1) and handed
// to the AutoMerger at once. A cancel with nothing pending does nothing at all — no
// reaction, no write — so that strangers learn nothing; otherwise the requester or an
// authorised user may cancel. Denials answer -1 and one comment saying why.
//
// Threading: handle() from the event processor's thread.
class MergeCommands {
 public:
  struct Services {
    storage::Storage& storage;
    ForgeInstances& forges;
    ReportOutbox& outbox;
    MergeAuthority& authority;
    AutoMerger& merger;
    CommandRateLimiter& limiter;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
  };
  struct Options {
    std::string mention = "eka-ci";
    std::chrono::seconds pushGrace{30};
  };

  MergeCommands(Services services, Options options) : services_(services), options_(std::move(options)) {}

  sdk::Result<void> handle(const std::string& forgeId, const sdk::ForgeEvent& event);

 private:
  sdk::Result<void> merge(const std::string& forgeId, const sdk::ForgeEvent& event,
                          const storage::PullRequestListing& listing, std::optional<sdk::MergeMethod> method);
  sdk::Result<void> cancel(const std::string& forgeId, const sdk::ForgeEvent& event,
                           const storage::PullRequestListing& listing);
  sdk::Result<void> deny(const std::string& forgeId, const sdk::ForgeEvent& event, const std::string& why);
  void count(const char* outcome);
  std::int64_t nowSeconds() const;

  Services services_;
  Options options_;
};

}  // namespace ekaci::forge
