#pragma once

#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "kernel/review/ReviewReport.h"

namespace ekaci::review {

// Compares the evaluation of one job at base and at head.
//
// A package is a rebuild only when one of its output paths is not among the base
// evaluation's output paths (the rule nixpkgs' CI uses), so a change that only touches a
// fixed-output derivation (a fetcher's URL) is not a rebuild, and neither is a rename.
// Removed + added pairs with the same outputs, or the same pname and version, are renames.
// Evaluation errors are compared by attribute: new, fixed, still failing.
class JobsetDiff {
 public:
  static void compute(const std::vector<sdk::EvalItem>& base, const std::vector<sdk::EvalItem>& head, JobReview& review);
};

}  // namespace ekaci::review
