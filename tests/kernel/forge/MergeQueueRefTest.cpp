// The pull request of a GitHub merge-queue branch.
#include "kernel/forge/MergeQueueRef.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

TEST(MergeQueueRefTest, ThePullRequestNumberOfAQueueBranch) {
  EXPECT_EQ(
      MergeQueueRef::pullRequestOf("refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64"),
      104u);
  EXPECT_EQ(MergeQueueRef::pullRequestOf("gh-readonly-queue/release/24.05/pr-7-abc"), 7u) << "a base with a slash";
}

TEST(MergeQueueRefTest, OtherBranchesNameNoPullRequest) {
  EXPECT_FALSE(MergeQueueRef::pullRequestOf("refs/heads/main"));
  EXPECT_FALSE(MergeQueueRef::pullRequestOf("refs/heads/pr-104-abc"));
  EXPECT_FALSE(MergeQueueRef::pullRequestOf("refs/heads/gh-readonly-queue/main/pr-x-abc"));
  EXPECT_FALSE(MergeQueueRef::pullRequestOf("refs/heads/gh-readonly-queue/main/pr-104"));
  EXPECT_FALSE(MergeQueueRef::pullRequestOf("refs/heads/gh-readonly-queue/main/pr-0-abc"));
  EXPECT_FALSE(MergeQueueRef::pullRequestOf("refs/heads/gh-readonly-queue/main/pr-99999999999999999999999-abc"));
}

}  // namespace
}  // namespace ekaci::forge
