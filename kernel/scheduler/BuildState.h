#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kernel/nix/BuildOutcome.h"

namespace ekaci::scheduler {

// How a build ends is the executor's (kernel/nix); the state machine keeps its kinds.
using nix::InterruptKind;

// Where one derivation stands. Every derivation a jobset needs starts as Queued (or Cached
// when its outputs are already valid or substitutable) and ends in a terminal state:
//
//   Queued -> Buildable -> Building -> Success
//                                   -> FailedRetry -> Queued   (first failure: one retry)
//                                   -> Failure                 (second failure: permanent)
//                                   -> Interrupted(kind)
//   Queued -> TransitiveFailure     (a dependency failed permanently)
//   Queued -> Blocked               (a dependency was interrupted)
//   Queued -> Interrupted(Unsatisfiable | Cancelled)
//
// A later jobset that wants a derivation again may move it from Interrupted, Blocked,
// TransitiveFailure or an expired Failure back to Queued; Success and Cached never change.
enum class BuildState {
  Queued,
  Buildable,
  Building,
  Success,
  Failure,
  FailedRetry,
  TransitiveFailure,
  Blocked,
  Interrupted,
  Cached,
};

// A state together with the interruption kind when the state is Interrupted.
struct BuildStatus {
  BuildState state = BuildState::Queued;
  InterruptKind interrupt = InterruptKind::Cancelled;  // meaningful for Interrupted only

  bool operator==(const BuildStatus& other) const {
    return state == other.state && (state != BuildState::Interrupted || interrupt == other.interrupt);
  }
};

const char* toString(BuildState state);
// The persisted name: "queued", "success", "interrupted(timeout)", ...
std::string statusName(const BuildStatus& status);
std::optional<BuildStatus> statusFromName(std::string_view name);

// Terminal for the jobsets that wait on it (a later jobset may still re-queue some of them).
bool isTerminal(BuildState state);
// The outputs exist: dependents may build.
bool isSuccessful(BuildState state);
// Counts as "the job failed" in a jobset's conclusion.
bool isFailing(BuildState state);
// The transitions the state machine allows; everything else is a programming error that the
// scheduler refuses (and logs) rather than persists.
bool transitionAllowed(BuildState from, BuildState to);

}  // namespace ekaci::scheduler
