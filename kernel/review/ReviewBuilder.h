#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/publish/PostBuildPublisher.h"
#include "kernel/review/BuildResults.h"
#include "kernel/review/JobVerdict.h"
#include "kernel/review/ReviewReport.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/storage/Storage.h"

namespace ekaci::review {

// Builds what a review found new or changed: the head derivation of every added or
// rebuilt job (these decide the jobset's conclusion) and, when asked, the base derivation of
// every changed job so that "newly failing" can be told from "still failing". Uses the
// scheduler, so builds already done (or failures still cached) are not repeated.
class ReviewBuilder {
 public:
  using Progress = std::function<void(const std::string& line)>;
  static constexpr std::size_t kFailureLogs = 10;      // logs quoted per job
  static constexpr std::size_t kFailureLogLines = 25;  // lines quoted per log

  ReviewBuilder(scheduler::Scheduler& scheduler, storage::Storage& storage)
      : scheduler_(scheduler), storage_(storage) {}

  struct Options {
    bool buildBase = true;        // build base versions too, to tell newly from still failing
    bool forgetFailures = false;  // build again what has a cached failure
    // After-build work (hooks, cache pushes) of each job's successful builds; null: none.
    publish::PostBuildPublisher* publisher = nullptr;
    std::string repository;  // "owner/name", for the caches' permissions
    std::string branch;      // see publish::PublishTarget
  };

  sdk::Result<std::vector<JobBuildResults>> build(const ReviewReport& report, const Options& options,
                                                  const std::atomic<bool>* cancel, const Progress& progress);

 private:
  std::optional<scheduler::BuildStatus> statusOf(const std::string& drvPath) const;
  // The derivation whose build failed for `drvPath` (itself, or the dependency named by a
  // transitive failure, followed), with the end of its log; nothing when no log exists.
  std::optional<FailureLog> failureLog(const std::string& attr, const std::string& drvPath) const;

  scheduler::Scheduler& scheduler_;
  storage::Storage& storage_;
};

}  // namespace ekaci::review
