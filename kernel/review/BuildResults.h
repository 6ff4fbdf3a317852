#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel/review/JobVerdict.h"
#include "kernel/storage/StorageRecords.h"

namespace ekaci::review {

// The end of the build log behind a newly failing job: its own build's, or, when it was not
// built because a dependency failed, that dependency's.
struct FailureLog {
  std::string attr;
  std::string failedDrv;
  std::string lines;
};

// What building one job's new and changed packages found.
struct JobBuildResults {
  std::string job;
  std::int64_t jobsetId = 0;
  storage::BuildJobsetState state = storage::BuildJobsetState::Succeeded;
  std::vector<review::JobVerdict> verdicts;  // new and changed jobs, removed ones
  std::size_t newlyFailing = 0, newlySucceeding = 0, stillFailing = 0, stillSucceeding = 0, removed = 0, unfinished = 0;
  std::vector<FailureLog> failureLogs;  // the first newly failing jobs
  std::vector<std::string> notes;       // caches named but skipped (unknown, not allowed)

  // Nothing newly fails and every build ended.
  bool clean() const { return newlyFailing == 0 && unfinished == 0; }
};

}  // namespace ekaci::review
