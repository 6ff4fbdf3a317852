#include "kernel/review/JobVerdict.h"

#include <gtest/gtest.h>

namespace ekaci::review {

using scheduler::BuildState;
using scheduler::BuildStatus;
using scheduler::InterruptKind;
namespace {

const BuildStatus kOk{BuildState::Success};
const BuildStatus kCached{BuildState::Cached};
const BuildStatus kFail{BuildState::Failure};
const BuildStatus kTransitive{BuildState::TransitiveFailure};
const BuildStatus kTimeout{BuildState::Interrupted, InterruptKind::Timeout};

Verdict judge(std::optional<BuildStatus> head, std::optional<BuildStatus> base, bool inBase = true,
              bool inHead = true) {
  return JobVerdict::judge(
             {"pkg", inHead ? "/nix/store/h-pkg.drv" : "", inBase ? "/nix/store/b-pkg.drv" : "", head, base})
      .verdict;
}

TEST(JobVerdictTest, ComparesHeadWithBase) {
  EXPECT_EQ(judge(kFail, kOk), Verdict::NewlyFailing);
  EXPECT_EQ(judge(kTransitive, kCached), Verdict::NewlyFailing);
  EXPECT_EQ(judge(kFail, kFail), Verdict::StillFailing);
  EXPECT_EQ(judge(kOk, kFail), Verdict::NewlySucceeding);
  EXPECT_EQ(judge(kCached, kTransitive), Verdict::NewlySucceeding);
  EXPECT_EQ(judge(kOk, kOk), Verdict::StillSucceeding);
  EXPECT_EQ(judge(kTimeout, kOk), Verdict::NewlyFailing);
}

TEST(JobVerdictTest, NewRemovedUnfinishedAndUnknownBase) {
  EXPECT_EQ(judge(kFail, std::nullopt, false), Verdict::NewlyFailing);
  EXPECT_EQ(judge(kOk, std::nullopt, false), Verdict::NewlySucceeding);
  EXPECT_EQ(judge(std::nullopt, kOk, true, false), Verdict::Removed);
  EXPECT_EQ(judge(BuildStatus{BuildState::Building}, kOk), Verdict::Unfinished);
  EXPECT_EQ(judge(std::nullopt, kOk), Verdict::Unfinished);
  // Base never built: a head failure counts as new, and the verdict says the base is unknown.
  auto unknown = JobVerdict::judge({"pkg", "/nix/store/h-pkg.drv", "/nix/store/b-pkg.drv", kFail, std::nullopt});
  EXPECT_EQ(unknown.verdict, Verdict::NewlyFailing);
  EXPECT_FALSE(unknown.baseKnown);
  // An interrupted base build says nothing about the base either.
  auto interrupted = JobVerdict::judge({"pkg", "/nix/store/h-pkg.drv", "/nix/store/b-pkg.drv", kFail, kTimeout});
  EXPECT_EQ(interrupted.verdict, Verdict::NewlyFailing);
  EXPECT_FALSE(interrupted.baseKnown);
  EXPECT_EQ(interrupted.baseState, "interrupted(timeout)");
  EXPECT_STREQ(toString(Verdict::StillFailing), "still_failing");
}

}  // namespace
}  // namespace ekaci::review
