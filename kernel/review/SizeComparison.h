#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/review/ReviewReport.h"
#include "kernel/scheduler/StorePathInfo.h"
#include "kernel/storage/Storage.h"

namespace ekaci::review {

// One output of a new or rebuilt package, measured at head and, when it can be, at base.
struct OutputSizeChange {
  std::string attr;
  std::string output;  // "out", "dev", ...
  std::string headPath;
  scheduler::PathSizes head;
  std::optional<scheduler::PathSizes> base;  // absent: a new package, or its base never built
  bool added = false;            // the package is new in head
  bool baseFromHistory = false;  // base no longer in the store: its recorded size

  // Closure growth in percent of base; nullopt without a base to compare with.
  std::optional<double> closurePercent() const;
};

struct JobSizes {
  std::string job;
  std::optional<double> limitPercent;  // size_check.max_increase_percent
  std::vector<OutputSizeChange> outputs;  // largest closure change first
  std::size_t notInStore = 0;  // head outputs that do not exist (failed or not built)

  // Outputs whose closure grew more than the limit.
  std::vector<const OutputSizeChange*> overLimit() const;
};

// How output and closure sizes move between base and head: every output of every new or
// rebuilt package that exists in the store after the builds is measured (one `nix path-info`
// for all of them) and recorded with its commit; the base output of the same name is measured
// too, or, when it is no longer in the store, taken from an earlier measurement of the same
// store path. A job's `size_check.max_increase_percent` turns growth above it into warnings;
// warnings never fail the review.
class SizeComparison {
 public:
  SizeComparison(const scheduler::StorePathInfo& info, storage::Storage& storage, std::int64_t now)
      : info_(info), storage_(storage), now_(now) {}

  sdk::Result<std::vector<JobSizes>> measure(const ReviewReport& report);

  // A "## Closure sizes" Markdown section listing at most `maxRows` outputs.
  static std::string markdown(const std::vector<JobSizes>& jobs, std::size_t maxRows = 20);
  // `reportJson` with a "sizes" member: per job, the limit and every measured output.
  static std::string addToJson(const std::string& reportJson, const std::vector<JobSizes>& jobs);
  // One line per output over its job's limit, for the terminal.
  static std::vector<std::string> warnings(const std::vector<JobSizes>& jobs);
  // 1536 -> "1.5 KiB".
  static std::string humanBytes(std::int64_t bytes);

 private:
  const scheduler::StorePathInfo& info_;
  storage::Storage& storage_;
  std::int64_t now_;
};

}  // namespace ekaci::review
