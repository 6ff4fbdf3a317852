#pragma once

#include <optional>
#include <string>

#include "kernel/scheduler/BuildState.h"

namespace ekaci::review {

// What a pull request did to one job's build, compared with the base revision.
enum class Verdict { NewlyFailing, NewlySucceeding, StillFailing, StillSucceeding, Removed, Unfinished };

const char* toString(Verdict verdict);

// One job at base and head: its derivations (empty when the attribute does not exist on that
// side) and their build states when known.
struct JobBuild {
  std::string attr;
  std::string headDrv;
  std::string baseDrv;
  std::optional<scheduler::BuildStatus> head;
  std::optional<scheduler::BuildStatus> base;
};

struct JobVerdict {
  std::string attr;
  Verdict verdict = Verdict::Unfinished;
  // False when the base result is unknown (not built, not asked to build it); the verdict
  // then assumes the base succeeded: a failure counts as new.
  bool baseKnown = false;
  std::string headState, baseState;
  std::string drvPath;

  // A job that exists only at head counts as newly failing or newly succeeding; one that
  // exists only at base is removed; a head build that did not end is unfinished.
  static JobVerdict judge(const JobBuild& job);
};

}  // namespace ekaci::review
