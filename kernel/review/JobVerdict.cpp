#include "kernel/review/JobVerdict.h"

namespace ekaci::review {

using scheduler::BuildState;

const char* toString(Verdict verdict) {
  switch (verdict) {
    case Verdict::NewlyFailing:
      return "newly_failing";
    case Verdict::NewlySucceeding:
      return "newly_succeeding";
    case Verdict::StillFailing:
      return "still_failing";
    case Verdict::StillSucceeding:
      return "still_succeeding";
    case Verdict::Removed:
      return "removed";
    case Verdict::Unfinished:
      return "unfinished";
  }
  return "unknown";
}

JobVerdict JobVerdict::judge(const JobBuild& job) {
  JobVerdict v;
  v.attr = job.attr;
  v.drvPath = job.headDrv.empty() ? job.baseDrv : job.headDrv;
  v.headState = job.head ? statusName(*job.head) : "";
  v.baseState = job.base ? statusName(*job.base) : "";
  if (job.headDrv.empty()) {
    v.verdict = Verdict::Removed;
    v.baseKnown = job.base && isTerminal(job.base->state);
    return v;
  }
  if (!job.head || !isTerminal(job.head->state)) {
    v.verdict = Verdict::Unfinished;
    return v;
  }
  const bool headFails = isFailing(job.head->state);
  if (job.baseDrv.empty()) {
    v.baseKnown = true;  // nothing to compare with: the job is new
    v.verdict = headFails ? Verdict::NewlyFailing : Verdict::NewlySucceeding;
    return v;
  }
  v.baseKnown = job.base && isTerminal(job.base->state) &&
                !(job.base->state == BuildState::Interrupted || job.base->state == BuildState::Blocked);
  const bool baseFails = v.baseKnown && isFailing(job.base->state);
  if (headFails) {
    v.verdict = baseFails ? Verdict::StillFailing : Verdict::NewlyFailing;
  } else {
    v.verdict = baseFails ? Verdict::NewlySucceeding : Verdict::StillSucceeding;
  }
  return v;
}

}  // namespace ekaci::review
