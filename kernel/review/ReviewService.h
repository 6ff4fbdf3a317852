#pragma once

#include <atomic>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Result.h"
#include "kernel/nix/StorePathInfo.h"
#include "kernel/review/ReviewBuilder.h"
#include "kernel/review/ReviewPipeline.h"
#include "kernel/review/ReviewReport.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/storage/Storage.h"

namespace ekaci::review {

// The review of one change, as `ekaci review` and the server's pull-request flow both run
// it: the pipeline (fetch, check out, evaluate, diff, impact), then — when asked and when a
// scheduler is given — the builds of what is new or changed and the size measurements of
// what they produced, all into one ReviewReport. Rendering is left to the caller.
//
// Threading: one review at a time per instance; the scheduler and storage are shared with
// others and guard themselves. The cancel flag of the request stops every phase.
class ReviewService {
 public:
  struct Services {
    ReviewPipeline::Services pipeline;
    scheduler::Scheduler* scheduler = nullptr;  // null: reviews only evaluate
    const nix::StorePathInfo* store = nullptr;  // null: sizes are not measured
    const sdk::Clock& clock;
  };
  struct Options {
    bool build = false;  // build new and changed jobs (needs a scheduler)
    ReviewBuilder::Options builds;
  };

  explicit ReviewService(const Services& services);

  // Progress reports the pipeline's steps; during builds and measurements step and total
  // are 0 and the line says what is happening.
  sdk::Result<ReviewReport> review(const ReviewRequest& request, const Options& options,
                                   const ReviewProgress& progress);

  ReviewPipeline& pipeline() noexcept { return pipeline_; }

 private:
  Services services_;
  ReviewPipeline pipeline_;
};

}  // namespace ekaci::review
