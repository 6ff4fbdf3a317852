#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/Result.h"
#include "kernel/forge/AutoMerger.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/forge/MergeCommands.h"
#include "kernel/forge/ReportOutbox.h"
#include "kernel/forge/ReviewQueue.h"
#include "kernel/review/ReviewService.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// What the server does with a verified forge event, the same for every forge: a pull
// request opened, pushed, reopened, marked ready or re-targeted is reviewed at its head
// (evaluation, builds of what is new or changed, sizes) and the review becomes reports
// through the outbox; a newer head supersedes the older one's review and cancels its open
// reports; closing the pull request cancels both; a merge-queue entry is reviewed against
// its base; a re-run request reviews the head again. Merge commands in comments go to
// MergeCommands; approvals are recorded; after a review, an approval or a command the
// AutoMerger decides whether the pull request is merged, and a new head cancels a merge
// pinned to the old one. Reviews are recorded (forge_reviews)
// before they are queued, so a restart resumes the ones that did not finish.
//
// Threading: handle() from the event processor's thread; reviews on the queue's workers.
class PullRequestFlow {
 public:
  struct Services {
    storage::Storage& storage;
    ForgeInstances& forges;
    ReportOutbox& outbox;
    // A review service per review (each runs one review at a time).
    std::function<std::unique_ptr<review::ReviewService>()> reviews;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
    // Merging (may be null: no merges): decides after every review, approval and command.
    AutoMerger* merger;
    MergeCommands* commands;
  };
  struct Options {
    std::function<std::string()> publicUrl;  // the server's base URL for details links
    std::chrono::seconds summaryDebounce{300};
    bool requireApproval = false;
    bool mergeQueueRequireApproval = false;
    std::size_t concurrentReviews = 1;
    review::ReviewService::Options review{true, {}};
  };

  PullRequestFlow(Services services, Options options);
  ~PullRequestFlow();

  sdk::Result<void> handle(const std::string& forgeId, const sdk::ForgeEvent& event);
  // Queues the reviews a previous run recorded and did not finish.
  sdk::Result<std::size_t> resume();
  void stop();

  const ReviewQueue& queue() const noexcept { return queue_; }

 private:
  static std::string keyOf(const sdk::ForgeEvent& event);
  // Stores the repository and the pull request as the event describes them; returns the
  // pull request as it was stored before.
  sdk::Result<std::optional<storage::PullRequestRecord>> recordPullRequest(const std::string& forgeId,
                                                                           const sdk::ChangeRequestRef& cr,
                                                                           storage::ChangeRequestState state);
  sdk::Result<void> changeRequestUpdated(const std::string& forgeId, const sdk::ForgeEvent& event);
  sdk::Result<void> changeRequestEnded(const std::string& forgeId, const sdk::ForgeEvent& event, bool merged);
  sdk::Result<void> rerun(const std::string& forgeId, const sdk::ForgeEvent& event);
  sdk::Result<void> reviewed(const std::string& forgeId, const sdk::ForgeEvent& event);
  sdk::Result<void> mergeQueueEntry(const std::string& forgeId, const sdk::ForgeEvent& event);
  void evaluateMerge(const std::string& forgeId, const sdk::RepositoryRef& repository, std::uint64_t number);
  sdk::Result<void> enqueue(const std::string& forgeId, const sdk::ForgeEvent& event);
  sdk::Result<bool> approved(const std::string& login);
  void run(const std::string& forgeId, const sdk::ForgeEvent& event, const std::atomic<bool>& cancel);
  void saveState(const std::string& forgeId, const sdk::ForgeEvent& event, const std::string& state,
                 const std::string& error, const review::ReviewReport* report);
  void observeSummary(const review::ReviewReport& report, double renderSeconds, int truncationLevel,
                      double totalSeconds);
  static const sdk::RepositoryRef& reportRepository(const sdk::ForgeEvent& event);
  static std::string headOf(const sdk::ForgeEvent& event);
  std::int64_t nowSeconds() const;

  Services services_;
  Options options_;
  std::atomic<bool> stopping_{false};  // a review cancelled by this stays "running" and resumes
  ReviewQueue queue_;
};

}  // namespace ekaci::forge
