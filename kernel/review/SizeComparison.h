#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/nix/StorePathInfo.h"
#include "kernel/review/ReviewReport.h"
#include "kernel/review/SizeResults.h"
#include "kernel/storage/Storage.h"

namespace ekaci::review {

// How output and closure sizes move between base and head: every output of every new or
// rebuilt package that exists in the store after the builds is measured (one `nix path-info`
// for all of them) and recorded with its commit; the base output of the same name is measured
// too, or, when it is no longer in the store, taken from an earlier measurement of the same
// store path. A job's `size_check.max_increase_percent` turns growth above it into warnings;
// warnings never fail the review.
class SizeComparison {
 public:
  SizeComparison(const nix::StorePathInfo& info, storage::Storage& storage, std::int64_t now)
      : info_(info), storage_(storage), now_(now) {}

  sdk::Result<std::vector<JobSizes>> measure(const ReviewReport& report);

 private:
  const nix::StorePathInfo& info_;
  storage::Storage& storage_;
  std::int64_t now_;
};

}  // namespace ekaci::review
