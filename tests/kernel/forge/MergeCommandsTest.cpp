// Merging from comments and auto-merge, through the kernel's shared code: who may merge,
// what is pinned, when the merge happens, what the forge is asked and what it is told.
#include "kernel/forge/MergeCommands.h"

#include <gtest/gtest.h>

#include "tests/kernel/forge/MergeFixture.h"

namespace ekaci::forge {
namespace {

using MergeCommandsTest = testing::MergeFixture;
using testing::kCommentAt;
using testing::kHead;
using testing::kHello;
using testing::kNewHead;

TEST_F(MergeCommandsTest, AWriterMergesOnceTheReviewPassedWithTheHeadItPinned) {
  say(comment("writer", "LGTM\n@eka-ci merge rebase\nthanks"));
  EXPECT_EQ(reactions(), std::vector<std::string>{"+1"});
  EXPECT_TRUE(forge_->of("merge").empty()) << "nothing is merged before the review concluded";
  ASSERT_TRUE(request());
  EXPECT_EQ(request()->pinnedSha, kHead);
  EXPECT_EQ(request()->commandMethod, "rebase");

  reviewDone(kHead, true, kHello);
  auto merged = merger_->evaluate("gh", "o", "r", 7);
  ASSERT_TRUE(merged) << merged.error().describe();
  EXPECT_TRUE(*merged);
  outbox_->deliverDue();
  ASSERT_EQ(forge_->of("merge").size(), 1u);
  EXPECT_EQ(forge_->of("merge")[0].text, std::string("rebase ") + kHead);
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "rocket"}));
  EXPECT_EQ(request()->mergedSha, kHead);
  EXPECT_EQ(request()->mergedBy, "writer");
  auto pr = storage_->findPullRequestOf("gh", "o", "r", 7);
  ASSERT_TRUE(pr && *pr);
  EXPECT_EQ((*pr)->pullRequest.state, storage::ChangeRequestState::Merged);
  EXPECT_FALSE(*merger_->evaluate("gh", "o", "r", 7)) << "merged once";
  EXPECT_EQ(metrics_.value("merges_total", {{"outcome", "merged"}}), 1.0);
}

TEST_F(MergeCommandsTest, AFailingReviewNeverMerges) {
  reviewDone(kHead, false, kHello);
  say(comment("writer", "@eka-ci merge"));
  EXPECT_EQ(reactions(), std::vector<std::string>{"+1"});
  EXPECT_TRUE(forge_->of("merge").empty());
  auto e = merger_->eligibility("gh", "o", "r", 7);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->eligible);
  EXPECT_TRUE(e->commandPending);
  EXPECT_FALSE(e->gatesPassed);
  EXPECT_NE(e->reason.find("did not pass"), std::string::npos) << e->reason;
}

TEST_F(MergeCommandsTest, AMaintainerOfEveryChangedPackageMayMergeWithoutPermission) {
  reviewDone(kHead, true, kHello);
  say(comment("Alice", "@EKA-CI MERGE"));
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "rocket"})) << "merged at once: the review had passed";
  ASSERT_EQ(forge_->of("merge").size(), 1u);
  EXPECT_EQ(forge_->of("merge")[0].text, std::string("squash ") + kHead) << "the default method";
}

TEST_F(MergeCommandsTest, MaintainingOnlySomeOfTheChangedPackagesIsNotEnough) {
  reviewDone(kHead, true, {{"hello", "version-bump", {"alice"}}, {"world", "rebuild", {"bob"}}});
  say(comment("alice", "@eka-ci merge"));
  EXPECT_EQ(reactions(), std::vector<std::string>{"-1"});
  auto comments = forge_->of("comment");
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_NE(comments[0].text.find("@alice"), std::string::npos);
  EXPECT_NE(comments[0].text.find("`world`"), std::string::npos) << comments[0].text;
  EXPECT_FALSE(request()) << "a denied command records nothing";
  EXPECT_TRUE(forge_->of("merge").empty());
}

TEST_F(MergeCommandsTest, AttributeNamesInADenialCannotMentionOrFormat) {
  reviewDone(kHead, true, {{"x` @org/everyone `y", "added", {}}});
  say(comment("reader", "@eka-ci merge"));
  ASSERT_EQ(forge_->of("comment").size(), 1u);
  const std::string text = forge_->of("comment")[0].text;
  // One code span, the backticks inside it made quotes: the mention cannot notify anyone.
  EXPECT_NE(text.find("`x' @org/everyone 'y`"), std::string::npos) << text;
}

TEST_F(MergeCommandsTest, AdminMaintainersCountAndNobodyMaintainsAPullRequestThatChangesNothing) {
  reviewDone(kHead, true, {{"world", "rebuild", {}}});
  ASSERT_TRUE(storage_->setAdminMaintainer("world", "carol", true, 1));
  say(comment("carol", "@eka-ci merge"));
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "rocket"}));
  EXPECT_EQ(forge_->of("merge").size(), 1u);

  // A pull request that changes no package: "maintainer of every package" claims nothing.
  recordPullRequest(kNewHead);
  reviewDone(kNewHead, true, {});
  clock_.advance(std::chrono::seconds(6));
  say(comment("carol", "@eka-ci merge", 502));
  EXPECT_EQ(reactions().back(), "-1");
}

TEST_F(MergeCommandsTest, AStrangerIsDeniedWithOneCommentAndNoRecord) {
  reviewDone(kHead, true, kHello);
  say(comment("reader", "@eka-ci merge squash"));
  EXPECT_EQ(reactions(), std::vector<std::string>{"-1"});
  ASSERT_EQ(forge_->of("comment").size(), 1u);
  EXPECT_NE(forge_->of("comment")[0].text.find("write, maintain or admin"), std::string::npos);
  EXPECT_FALSE(request());
  EXPECT_EQ(metrics_.value("comment_commands_total", {{"outcome", "denied"}}), 1.0);
}

TEST_F(MergeCommandsTest, AHeadCommittedAfterTheCommentRefusesIt) {
  reviewDone(kHead, true, kHello);
  forge_->commitTimes[kHead] = kCommentAt + 31;
  say(comment("writer", "@eka-ci merge"));
  EXPECT_EQ(reactions(), std::vector<std::string>{"-1"});
  ASSERT_EQ(forge_->of("comment").size(), 1u);
  EXPECT_NE(forge_->of("comment")[0].text.find("111111111111"), std::string::npos) << "names the head";
  EXPECT_FALSE(request());
  EXPECT_TRUE(forge_->of("merge").empty());
}

TEST_F(MergeCommandsTest, AHeadCommittedWithinTheGraceIsAccepted) {
  reviewDone(kHead, true, kHello);
  forge_->commitTimes[kHead] = kCommentAt + 30;
  say(comment("writer", "@eka-ci merge"));
  EXPECT_EQ(reactions().front(), "+1");
  EXPECT_EQ(forge_->of("merge").size(), 1u);
}

TEST_F(MergeCommandsTest, ANewPushCancelsThePinnedMergeWithAConfusedReaction) {
  say(comment("writer", "@eka-ci merge"));
  recordPullRequest(kNewHead);
  sdk::ChangeRequestRef cr;
  cr.repository.owner = "o";
  cr.repository.name = "r";
  cr.number = 7;
  auto moved = merger_->headMoved("gh", cr, kNewHead);
  ASSERT_TRUE(moved);
  EXPECT_TRUE(*moved);
  outbox_->deliverDue();
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "confused"}));
  ASSERT_EQ(forge_->of("comment").size(), 1u);
  const std::string text = forge_->of("comment")[0].text;
  EXPECT_NE(text.find("@writer"), std::string::npos);
  EXPECT_NE(text.find("111111111111"), std::string::npos);
  EXPECT_NE(text.find("222222222222"), std::string::npos);
  EXPECT_TRUE(request()->pinnedSha.empty());
  // The new head passing its review merges nothing: the requester never saw it.
  reviewDone(kNewHead, true, kHello);
  EXPECT_FALSE(*merger_->evaluate("gh", "o", "r", 7));
  EXPECT_TRUE(forge_->of("merge").empty());
}

TEST_F(MergeCommandsTest, DriftFoundAtEvaluationCancelsToo) {
  say(comment("writer", "@eka-ci merge"));
  recordPullRequest(kNewHead);  // the push's event came, but nobody told the merger
  reviewDone(kNewHead, true, kHello);
  EXPECT_FALSE(*merger_->evaluate("gh", "o", "r", 7));
  outbox_->deliverDue();
  EXPECT_EQ(reactions().back(), "confused");
  EXPECT_TRUE(forge_->of("merge").empty());
}

TEST_F(MergeCommandsTest, TheRequesterCancelsWithoutAPermissionCall) {
  forge_->permissions["writer"] = sdk::Permission::Write;
  say(comment("writer", "@eka-ci merge"));
  const auto asked = forge_->of("permission").size();
  clock_.advance(std::chrono::seconds(6));
  say(comment("writer", "Wait.\n@eka-ci merge cancel", 502));
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "+1"}));
  EXPECT_EQ(forge_->of("permission").size(), asked) << "the requester's fast path";
  EXPECT_TRUE(request()->pinnedSha.empty());
  reviewDone(kHead, true, kHello);
  EXPECT_FALSE(*merger_->evaluate("gh", "o", "r", 7));
}

TEST_F(MergeCommandsTest, AnotherAuthorisedUserMayCancelAStrangerMayNot) {
  forge_->permissions["other-writer"] = sdk::Permission::Maintain;
  say(comment("writer", "@eka-ci merge"));
  say(comment("reader", "@eka-ci merge cancel", 502));
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "-1"}));
  EXPECT_FALSE(request()->pinnedSha.empty()) << "a stranger cannot grief a pending merge";
  say(comment("other-writer", "@eka-ci merge cancel", 503));
  EXPECT_EQ(reactions().back(), "+1");
  EXPECT_TRUE(request()->pinnedSha.empty());
}

TEST_F(MergeCommandsTest, CancellingWithNothingPendingDoesNothingAtAll) {
  say(comment("reader", "@eka-ci merge cancel"));
  EXPECT_TRUE(forge_->said.empty()) << "no reaction, no comment, no permission call";
  EXPECT_FALSE(request()) << "no write";
}

TEST_F(MergeCommandsTest, OneCommandPerUserAndRepositoryEveryFiveSeconds) {
  say(comment("writer", "@eka-ci merge squash"));
  say(comment("writer", "@eka-ci merge cancel", 502));
  EXPECT_EQ(reactions(), std::vector<std::string>{"+1"}) << "the second is dropped silently";
  EXPECT_FALSE(request()->pinnedSha.empty());
  say(comment("reader", "@eka-ci merge cancel", 503));
  EXPECT_EQ(reactions().size(), 2u) << "another user is not limited by the first";
  clock_.advance(std::chrono::seconds(5));
  say(comment("writer", "@eka-ci merge cancel", 504));
  EXPECT_EQ(reactions().back(), "+1");
  EXPECT_TRUE(request()->pinnedSha.empty());
}

TEST_F(MergeCommandsTest, BotsAndProseAndOtherVerbsAreIgnored) {
  auto bot = comment("writer", "@eka-ci merge");
  bot.commentAuthorIsBot = true;
  say(bot);
  say(comment("eka-ci[bot]", "@eka-ci merge", 502));
  say(comment("writer", "cc @eka-ci merge please", 503));
  say(comment("writer", "@eka-ci rebuild", 504));
  say(comment("writer", "@eka-cix merge", 505));
  EXPECT_TRUE(forge_->said.empty());
  EXPECT_FALSE(request());
}

TEST_F(MergeCommandsTest, AMethodTheRepositoryDisablesIsSkippedWithoutAComment) {
  reviewDone(kHead, true, kHello);
  forge_->settings.rebase = false;
  say(comment("writer", "@eka-ci merge rebase"));
  EXPECT_EQ(reactions(), std::vector<std::string>{"+1"});
  EXPECT_TRUE(forge_->of("merge").empty());
  EXPECT_TRUE(forge_->of("comment").empty());
  EXPECT_EQ(metrics_.value("merges_total", {{"outcome", "method_not_allowed"}}), 1.0);
  auto e = merger_->eligibility("gh", "o", "r", 7);
  EXPECT_FALSE(e->methodAllowed);
}

TEST_F(MergeCommandsTest, NotMergeableKeepsTheRequestAndSaysWhy) {
  reviewDone(kHead, true, kHello);
  forge_->mergeErrors.push_back(sdk::Error(sdk::ErrorCode::ForgeNotMergeable, "Pull Request is not mergeable"));
  say(comment("writer", "@eka-ci merge"));
  ASSERT_EQ(forge_->of("merge").size(), 1u);
  ASSERT_EQ(forge_->of("comment").size(), 1u);
  EXPECT_NE(forge_->of("comment")[0].text.find("not mergeable"), std::string::npos);
  EXPECT_EQ(request()->pinnedSha, kHead) << "still queued";
  EXPECT_TRUE(*merger_->evaluate("gh", "o", "r", 7)) << "merged at the next try";
}

TEST_F(MergeCommandsTest, HeadChangedAtTheForgeCancelsThePinnedMerge) {
  reviewDone(kHead, true, kHello);
  forge_->heads[7] = kNewHead;  // pushed, the webhook not yet here
  say(comment("writer", "@eka-ci merge"));
  ASSERT_EQ(forge_->of("merge").size(), 1u);
  EXPECT_EQ(reactions(), (std::vector<std::string>{"+1", "confused"}));
  EXPECT_TRUE(request()->pinnedSha.empty());
  EXPECT_TRUE(request()->mergedSha.empty());
  EXPECT_EQ(metrics_.value("merges_total", {{"outcome", "head_changed"}}), 1.0);
}

TEST_F(MergeCommandsTest, AutoMergeNeedsAMaintainerApprovalOfThisHeadForEveryChangedPackage) {
  reviewDone(kHead, true, {{"hello", "version-bump", {"alice"}}, {"world", "rebuild", {"bob"}}});
  ASSERT_TRUE(storage_->saveMergeRequest(
      storage::MergeRequestRecord{"gh", "o/r", 7, true, "merge", "", "", "", "", 0, 0, "", "", "", 0, 1}));
  auto e = merger_->eligibility("gh", "o", "r", 7);
  ASSERT_TRUE(e);
  EXPECT_TRUE(e->autoMergeEnabled);
  EXPECT_EQ(e->missingApprovals, (std::vector<std::string>{"hello", "world"}));
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"alice", kHead, 2}, true));
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"bob", "3333333333333333333333333333333333333333", 2}, true));
  EXPECT_FALSE(*merger_->evaluate("gh", "o", "r", 7)) << "bob approved another head";
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"bob", kHead, 3}, true));
  EXPECT_TRUE(*merger_->evaluate("gh", "o", "r", 7));
  EXPECT_EQ(forge_->of("merge")[0].text, std::string("merge ") + kHead) << "the pull request's own preference";
  EXPECT_EQ(request()->mergedBy, "auto-merge");
}

}  // namespace
}  // namespace ekaci::forge
