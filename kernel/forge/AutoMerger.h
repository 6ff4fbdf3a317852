#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/Result.h"
#include "kernel/forge/ChangedPackages.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/forge/MergeAuthority.h"
#include "kernel/forge/ReportOutbox.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// Decides whether a pull request is merged now, and merges it: when its head's review
// concluded with the gates passed (evaluation clean, nothing new or changed failing to
// build), the head is still the one a comment command pinned, and — for auto-merge enabled
// from the API — every changed package has an approval of this head from one of its
// maintainers. The merge names the reviewed head (GitHub's `sha`), so a push racing the
// merge makes the forge refuse it instead of merging unreviewed code. A pinned command
// whose head moved is cancelled (confused reaction, a comment to the requester).
//
// Threading: any thread; evaluations of all pull requests are serialised.
class AutoMerger {
 public:
  struct Services {
    storage::Storage& storage;
    ForgeInstances& forges;
    ReportOutbox& outbox;
    MergeAuthority& authority;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
  };
  struct Options {
    sdk::MergeMethod defaultMethod = sdk::MergeMethod::Squash;
  };
  struct Eligibility {
    bool open = false;
    bool eligible = false;
    bool autoMergeEnabled = false;
    bool commandPending = false;
    bool reviewed = false;     // the head's review concluded
    bool gatesPassed = false;  // ... and passed
    bool hasMaintainerApprovals = false;
    bool methodAllowed = false;
    std::vector<std::string> changedPackages;
    std::vector<std::string> missingApprovals;
    std::string headSha;
    std::string pinnedSha;
    std::optional<sdk::MergeMethod> method;
    std::string reason;  // why not, in a sentence; empty when eligible
  };

  AutoMerger(Services services, Options options) : services_(services), options_(options) {}

  // What the latest review of a pull request's head concluded.
  struct HeadReview {
    bool concluded = false;
    bool gatesPassed = false;
    std::vector<ChangedPackage> changed;
  };
  sdk::Result<HeadReview> reviewOf(const std::string& forgeId, const std::string& repository, std::int64_t number,
                                   const std::string& headSha);

  sdk::Result<Eligibility> eligibility(const std::string& forgeId, const std::string& owner, const std::string& name,
                                       std::int64_t number);
  // Merges when eligible; true when it merged.
  sdk::Result<bool> evaluate(const std::string& forgeId, const std::string& owner, const std::string& name,
                             std::int64_t number);
  // The pull request's head moved to `newHead`: a pinned command for another head is
  // cancelled. True when one was.
  sdk::Result<bool> headMoved(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                              const std::string& newHead);
  // Merges now, for an authorised caller of the API (gates still apply).
  sdk::Result<void> mergeNow(const std::string& forgeId, const std::string& owner, const std::string& name,
                             std::int64_t number, std::optional<sdk::MergeMethod> method, const std::string& by);
  // Re-evaluates every pending request (after a restart).
  void evaluatePending();

  static std::string shortSha(const std::string& sha) { return sha.substr(0, 12); }

 private:
  sdk::Result<Eligibility> assess(const std::string& forgeId, const storage::PullRequestListing& listing,
                                  const std::optional<storage::MergeRequestRecord>& request,
                                  std::optional<sdk::MergeMethod> override);
  sdk::Result<bool> mergeLocked(const std::string& forgeId, const std::string& owner, const std::string& name,
                                std::int64_t number, std::optional<sdk::MergeMethod> override, const std::string& by,
                                bool force);
  sdk::Result<void> cancelPinned(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                 storage::MergeRequestRecord request, const std::string& currentHead);
  static sdk::ChangeRequestRef changeRequestOf(const storage::PullRequestListing& listing);
  void count(const char* outcome);
  std::int64_t nowSeconds() const;

  Services services_;
  Options options_;
  std::recursive_mutex mutex_;
};

}  // namespace ekaci::forge
