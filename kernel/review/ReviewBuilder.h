#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/review/ReviewReport.h"
#include "kernel/scheduler/JobVerdict.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/storage/Storage.h"

namespace ekaci::review {

// The end of the build log behind a newly failing job: its own build's, or, when it was not
// built because a dependency failed, that dependency's.
struct FailureLog {
  std::string attr;
  std::string failedDrv;
  std::string lines;
};

struct JobBuildResults {
  std::string job;
  std::int64_t jobsetId = 0;
  storage::BuildJobsetState state = storage::BuildJobsetState::Succeeded;
  std::vector<scheduler::JobVerdict> verdicts;  // new and changed jobs, removed ones
  std::size_t newlyFailing = 0, newlySucceeding = 0, stillFailing = 0, stillSucceeding = 0, removed = 0,
              unfinished = 0;
  std::vector<FailureLog> failureLogs;  // the first newly failing jobs (at most kFailureLogs)
};

// Builds what a review found new or changed: the head derivation of every added or
// rebuilt job (these decide the jobset's conclusion) and, when asked, the base derivation of
// every changed job so that "newly failing" can be told from "still failing". Uses the
// scheduler, so builds already done (or failures still cached) are not repeated.
class ReviewBuilder {
 public:
  using Progress = std::function<void(const std::string& line)>;
  static constexpr std::size_t kFailureLogs = 10;     // logs quoted per job
  static constexpr std::size_t kFailureLogLines = 25;  // lines quoted per log
  // The Markdown lists at most this many jobs per verdict and job, and quotes at most
  // kMarkdownLogs logs per job (the JSON has them all), so the report stays within a comment.
  static constexpr std::size_t kMarkdownListed = 50;
  static constexpr std::size_t kMarkdownLogs = 3;

  ReviewBuilder(scheduler::Scheduler& scheduler, storage::Storage& storage) : scheduler_(scheduler), storage_(storage) {}

  struct Options {
    bool buildBase = true;        // build base versions too, to tell newly from still failing
    bool forgetFailures = false;  // build again what has a cached failure
  };

  sdk::Result<std::vector<JobBuildResults>> build(const ReviewReport& report, const Options& options,
                                                  const std::atomic<bool>* cancel, const Progress& progress);
  // A "## Builds" Markdown section for the results (escaped like the rest of the report).
  static std::string markdown(const std::vector<JobBuildResults>& results);
  static bool clean(const std::vector<JobBuildResults>& results);
  // `reportJson` (JsonRenderer's output) with a "builds" member added: per job, the jobset's
  // conclusion, the counts and every verdict.
  static std::string addToJson(const std::string& reportJson, const std::vector<JobBuildResults>& results);

 private:
  std::optional<scheduler::BuildStatus> statusOf(const std::string& drvPath) const;
  // The derivation whose build failed for `drvPath` (itself, or the dependency named by a
  // transitive failure, followed), with the end of its log; nothing when no log exists.
  std::optional<FailureLog> failureLog(const std::string& attr, const std::string& drvPath) const;

  scheduler::Scheduler& scheduler_;
  storage::Storage& storage_;
};

}  // namespace ekaci::review
