#pragma once

#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "kernel/graph/DrvGraph.h"
#include "kernel/review/ReviewReport.h"

namespace ekaci::review {

// Blast radius of each rebuilt package: how many head jobs (and, in full mode, how many
// derivations) depend on it transitively, found by walking the head graph's referrer edges.
// At most `maxSeeds` packages are walked (those with the most direct referrers first);
// the rest keep a radius of 0 and the report says so.
class RebuildImpact {
 public:
  struct Options {
    std::size_t top = 5;
    bool full = false;
    std::size_t maxSeeds = 5000;
  };
  static void compute(const graph::DrvGraph& graph, const std::vector<sdk::EvalItem>& head, JobReview& review,
                      const Options& options);
};

}  // namespace ekaci::review
