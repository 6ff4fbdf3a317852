#include "kernel/scheduler/BuildState.h"

#include <array>
#include <utility>

namespace ekaci::scheduler {
namespace {

constexpr std::array<std::pair<BuildState, const char*>, 10> kStates = {{
    {BuildState::Queued, "queued"},
    {BuildState::Buildable, "buildable"},
    {BuildState::Building, "building"},
    {BuildState::Success, "success"},
    {BuildState::Failure, "failure"},
    {BuildState::FailedRetry, "failed_retry"},
    {BuildState::TransitiveFailure, "transitive_failure"},
    {BuildState::Blocked, "blocked"},
    {BuildState::Interrupted, "interrupted"},
    {BuildState::Cached, "cached"},
}};

constexpr std::array<InterruptKind, 5> kKinds = {InterruptKind::OutOfMemory, InterruptKind::Timeout,
                                                 InterruptKind::Cancelled, InterruptKind::ProcessDeath,
                                                 InterruptKind::Unsatisfiable};

}  // namespace

const char* toString(BuildState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "unknown";
}

std::string statusName(const BuildStatus& status) {
  if (status.state != BuildState::Interrupted) return toString(status.state);
  return std::string("interrupted(") + nix::toString(status.interrupt) + ")";
}

std::optional<BuildStatus> statusFromName(std::string_view name) {
  constexpr std::string_view kPrefix = "interrupted(";
  if (name.size() > kPrefix.size() + 1 && name.substr(0, kPrefix.size()) == kPrefix && name.back() == ')') {
    const std::string_view kind = name.substr(kPrefix.size(), name.size() - kPrefix.size() - 1);
    for (InterruptKind k : kKinds) {
      if (kind == nix::toString(k)) return BuildStatus{BuildState::Interrupted, k};
    }
    return std::nullopt;
  }
  for (const auto& [s, text] : kStates) {
    if (name == text && s != BuildState::Interrupted) return BuildStatus{s, InterruptKind::Cancelled};
  }
  return std::nullopt;
}

bool isTerminal(BuildState state) {
  switch (state) {
    case BuildState::Success:
    case BuildState::Failure:
    case BuildState::TransitiveFailure:
    case BuildState::Blocked:
    case BuildState::Interrupted:
    case BuildState::Cached:
      return true;
    case BuildState::Queued:
    case BuildState::Buildable:
    case BuildState::Building:
    case BuildState::FailedRetry:
      return false;
  }
  return false;
}

bool isSuccessful(BuildState state) {
  return state == BuildState::Success || state == BuildState::Cached;
}

bool isFailing(BuildState state) {
  return isTerminal(state) && !isSuccessful(state);
}

bool transitionAllowed(BuildState from, BuildState to) {
  using S = BuildState;
  switch (from) {
    case S::Queued:
      return to == S::Buildable || to == S::Cached || to == S::TransitiveFailure || to == S::Blocked ||
             to == S::Interrupted || to == S::Failure;  // Failure: cached from an earlier jobset
    case S::Buildable:
      return to == S::Building || to == S::Queued || to == S::TransitiveFailure || to == S::Blocked ||
             to == S::Interrupted;
    case S::Building:
      return to == S::Success || to == S::FailedRetry || to == S::Failure || to == S::Interrupted ||
             to == S::Queued;  // Queued: the server stopped (or died) while it ran
    case S::FailedRetry:
      return to == S::Queued || to == S::Interrupted;
    case S::TransitiveFailure:
    case S::Blocked:
    case S::Interrupted:
    case S::Failure:
      return to == S::Queued || to == S::TransitiveFailure || to == S::Blocked;
    case S::Success:
    case S::Cached:
      return false;
  }
  return false;
}

}  // namespace ekaci::scheduler
