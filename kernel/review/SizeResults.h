#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kernel/nix/StorePathInfo.h"

namespace ekaci::review {

// One output of a new or rebuilt package, measured at head and, when it can be, at base.
struct OutputSizeChange {
  std::string attr;
  std::string output;  // "out", "dev", ...
  std::string headPath;
  nix::PathSizes head;
  std::optional<nix::PathSizes> base;  // absent: a new package, or its base never built
  bool added = false;                  // the package is new in head
  bool baseFromHistory = false;        // base no longer in the store: its recorded size

  // Closure growth in percent of base; nullopt without a base to compare with.
  std::optional<double> closurePercent() const;
};

struct JobSizes {
  std::string job;
  std::optional<double> limitPercent;     // size_check.max_increase_percent
  std::vector<OutputSizeChange> outputs;  // largest closure change first
  std::size_t notInStore = 0;             // head outputs that do not exist (failed or not built)

  // Outputs whose closure grew more than the limit.
  std::vector<const OutputSizeChange*> overLimit() const;
};

}  // namespace ekaci::review
