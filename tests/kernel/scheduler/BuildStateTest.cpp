#include "kernel/scheduler/BuildState.h"

#include <gtest/gtest.h>

namespace ekaci::scheduler {
namespace {

const BuildState kAll[] = {
    BuildState::Queued,      BuildState::Buildable,   BuildState::Building,          BuildState::Success,
    BuildState::Failure,     BuildState::FailedRetry, BuildState::TransitiveFailure, BuildState::Blocked,
    BuildState::Interrupted, BuildState::Cached};

TEST(BuildStateTest, EveryStatusNameRoundTrips) {
  for (BuildState state : kAll) {
    if (state == BuildState::Interrupted) continue;
    auto back = statusFromName(statusName(BuildStatus{state}));
    ASSERT_TRUE(back) << toString(state);
    EXPECT_EQ(back->state, state);
  }
  for (InterruptKind kind : {InterruptKind::OutOfMemory, InterruptKind::Timeout, InterruptKind::Cancelled,
                             InterruptKind::ProcessDeath, InterruptKind::Unsatisfiable}) {
    const BuildStatus status{BuildState::Interrupted, kind};
    EXPECT_EQ(statusName(status), std::string("interrupted(") + toString(kind) + ")");
    EXPECT_EQ(statusFromName(statusName(status)), status);
  }
  EXPECT_FALSE(statusFromName("interrupted"));
  EXPECT_FALSE(statusFromName("interrupted(lunch)"));
  EXPECT_FALSE(statusFromName("new"));
  EXPECT_FALSE(statusFromName(""));
}

TEST(BuildStateTest, TerminalSuccessfulAndFailingAreConsistent) {
  for (BuildState state : kAll) {
    if (isSuccessful(state)) {
      EXPECT_TRUE(isTerminal(state)) << toString(state);
    }
    if (isFailing(state)) {
      EXPECT_TRUE(isTerminal(state) && !isSuccessful(state)) << toString(state);
    }
  }
  EXPECT_FALSE(isTerminal(BuildState::FailedRetry));
  EXPECT_TRUE(isFailing(BuildState::TransitiveFailure));
  EXPECT_TRUE(isSuccessful(BuildState::Cached));
}

TEST(BuildStateTest, TheManualsPathsAreAllowed) {
  EXPECT_TRUE(transitionAllowed(BuildState::Queued, BuildState::Buildable));
  EXPECT_TRUE(transitionAllowed(BuildState::Buildable, BuildState::Building));
  EXPECT_TRUE(transitionAllowed(BuildState::Building, BuildState::Success));
  EXPECT_TRUE(transitionAllowed(BuildState::Building, BuildState::FailedRetry));
  EXPECT_TRUE(transitionAllowed(BuildState::FailedRetry, BuildState::Queued));
  EXPECT_TRUE(transitionAllowed(BuildState::Building, BuildState::Failure));
  EXPECT_TRUE(transitionAllowed(BuildState::Queued, BuildState::TransitiveFailure));
  EXPECT_TRUE(transitionAllowed(BuildState::Queued, BuildState::Blocked));
  EXPECT_TRUE(transitionAllowed(BuildState::Building, BuildState::Interrupted));
  EXPECT_TRUE(transitionAllowed(BuildState::Building, BuildState::Queued));  // server stopped
  EXPECT_TRUE(transitionAllowed(BuildState::Queued, BuildState::Cached));
}

TEST(BuildStateTest, SuccessIsFinalAndShortcutsAreRefused) {
  for (BuildState to : kAll) {
    EXPECT_FALSE(transitionAllowed(BuildState::Success, to)) << toString(to);
    EXPECT_FALSE(transitionAllowed(BuildState::Cached, to)) << toString(to);
  }
  EXPECT_FALSE(transitionAllowed(BuildState::Queued, BuildState::Building));  // must be Buildable first
  EXPECT_FALSE(transitionAllowed(BuildState::Queued, BuildState::Success));   // nothing succeeds unbuilt
  EXPECT_FALSE(transitionAllowed(BuildState::Buildable, BuildState::Success));
  EXPECT_FALSE(transitionAllowed(BuildState::FailedRetry, BuildState::Failure));  // the retry must run
  EXPECT_FALSE(transitionAllowed(BuildState::Building, BuildState::Cached));
}

}  // namespace
}  // namespace ekaci::scheduler
