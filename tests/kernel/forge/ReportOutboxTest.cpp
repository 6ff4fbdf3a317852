// The outbox: reports are written first and delivered with retries, coalesced, never sent
// twice, and found again when a creation's answer was lost.
#include "kernel/forge/ReportOutbox.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "ekaci/sdk/testing/ManualClock.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/kernel/forge/MergingForge.h"
#include "tests/kernel/forge/ScriptedForge.h"
#include "tests/support/TempDir.h"

namespace ekaci::forge {
namespace {

class ReportOutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::SqliteStorage::open(dir_.path() / "db.sqlite").value();
    auto instance = std::make_unique<ForgeInstances::Instance>();
    instance->id = "gh";
    instance->type = "scripted";
    auto forge = std::make_unique<testing::ScriptedForge>();
    forge_ = forge.get();
    instance->forge = std::move(forge);
    forges_.add(std::move(instance));
    outbox_ = std::make_unique<ReportOutbox>(ReportOutbox::Services{*storage_, forges_, metrics_, logger_, clock_},
                                             ReportOutbox::Options{});
    repo_.owner = "o";
    repo_.name = "r";
  }
  sdk::StatusReport report(const std::string& name, sdk::CommitState state, const std::string& summary = "s") {
    return sdk::StatusReport{name, state, "t", summary, "", ""};
  }
  // A forge with comments (as Gitea and GitLab have, without check runs).
  testing::MergingForge& addCommentingForge(const std::string& id) {
    auto instance = std::make_unique<ForgeInstances::Instance>();
    instance->id = id;
    instance->type = "merging";
    auto owned = std::make_unique<testing::MergingForge>();
    testing::MergingForge& forge = *owned;
    instance->forge = std::move(owned);
    forges_.add(std::move(instance));
    return forge;
  }
  std::size_t publishes() const {
    std::size_t n = 0;
    for (const auto& c : forge_->calls) n += c.operation == "publish";
    return n;
  }

  testsupport::TempDir dir_;
  std::unique_ptr<storage::SqliteStorage> storage_;
  ForgeInstances forges_;
  testing::ScriptedForge* forge_ = nullptr;
  sdk::testing::InMemoryMetrics metrics_;
  sdk::testing::CapturingLogger logger_;
  sdk::testing::ManualClock clock_;
  std::unique_ptr<ReportOutbox> outbox_;
  sdk::RepositoryRef repo_;
};

TEST_F(ReportOutboxTest, AReportIsCreatedThenUpdatedByItsId) {
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("EkaCI: Configure", sdk::CommitState::Running)));
  EXPECT_EQ(outbox_->deliverDue(), 1u);
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("EkaCI: Configure", sdk::CommitState::Success)));
  EXPECT_EQ(outbox_->deliverDue(), 1u);
  ASSERT_EQ(forge_->calls.size(), 2u);
  EXPECT_EQ(forge_->calls[0].existingId, "");
  EXPECT_EQ(forge_->calls[1].existingId, "1");
  auto stored = storage_->findForgeReport("gh", "o/r", "abc", "EkaCI: Configure");
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->remoteId, "1");
  EXPECT_EQ((*stored)->state, "success");
}

TEST_F(ReportOutboxTest, ANewerStateReplacesOneNotYetSent) {
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Pending)));
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Running)));
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success)));
  outbox_->deliverDue();
  ASSERT_EQ(publishes(), 1u);
  EXPECT_EQ(forge_->calls[0].state, sdk::CommitState::Success);
}

TEST_F(ReportOutboxTest, TheSameStateIsNeverSentTwice) {
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success)));
  outbox_->deliverDue();
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success)));
  outbox_->deliverDue();
  EXPECT_EQ(publishes(), 1u);
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success, "other text")));
  outbox_->deliverDue();
  EXPECT_EQ(publishes(), 2u);
}

TEST_F(ReportOutboxTest, ForgeErrorsAreRetriedWithBackoffAndRetryAfterIsHonoured) {
  forge_->fail(sdk::Error(sdk::ErrorCode::ForgeApi, "502"));
  forge_->fail(sdk::Error(sdk::ErrorCode::ForgeRateLimited, "slow down").withRetryAfter(std::chrono::seconds(120)));
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success)));
  outbox_->deliverDue();  // 502: backoff (1–2 s for the first retry)
  EXPECT_EQ(outbox_->deliverDue(), 0u);
  clock_.advance(std::chrono::seconds(3));
  outbox_->deliverDue();  // rate limited: 120 s
  clock_.advance(std::chrono::seconds(100));
  EXPECT_EQ(outbox_->deliverDue(), 0u) << "sent before the forge's Retry-After";
  clock_.advance(std::chrono::seconds(25));
  EXPECT_EQ(outbox_->deliverDue(), 1u);
  EXPECT_EQ(publishes(), 3u);
  EXPECT_EQ(forge_->stored.size(), 1u);
  EXPECT_EQ(metrics_.value("forge_outbox_retries_total"), 2.0);
}

TEST_F(ReportOutboxTest, PermanentErrorsAndTooManyAttemptsAreAbandonedAndCounted) {
  forge_->fail(sdk::Error(sdk::ErrorCode::InvalidArgument, "422"));
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success)));
  outbox_->deliverDue();
  EXPECT_EQ(metrics_.value("forge_outbox_abandoned_total"), 1.0);
  auto stats = storage_->outboxStats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->pending, 0);
  EXPECT_EQ(stats->abandoned, 1);

  for (int i = 0; i < 20; ++i) forge_->fail(sdk::Error(sdk::ErrorCode::HttpConnect, "refused"));
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("y", sdk::CommitState::Success)));
  for (int i = 0; i < 20; ++i) {
    outbox_->deliverDue();
    clock_.advance(std::chrono::minutes(11));
  }
  EXPECT_EQ(metrics_.value("forge_outbox_abandoned_total"), 2.0);
  EXPECT_EQ(publishes(), 1u + 12u);  // ReportOutbox::Options::maxAttempts
}

TEST_F(ReportOutboxTest, ACreationWhoseAnswerWasLostIsFoundAgainNotDuplicated) {
  forge_->loseNextAnswer();
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Running)));
  outbox_->deliverDue();
  ASSERT_EQ(forge_->stored.size(), 1u);
  // A new outbox (a restarted server) over the same database.
  outbox_ = std::make_unique<ReportOutbox>(ReportOutbox::Services{*storage_, forges_, metrics_, logger_, clock_},
                                           ReportOutbox::Options{});
  clock_.advance(std::chrono::minutes(1));
  outbox_->deliverDue();
  EXPECT_EQ(forge_->stored.size(), 1u) << "created twice";
  ASSERT_GE(forge_->calls.size(), 3u);
  EXPECT_EQ(forge_->calls[1].operation, "list");
  EXPECT_EQ(forge_->calls[2].existingId, "1");
}

TEST_F(ReportOutboxTest, CancellingEndsOpenReportsAndLeavesConcludedOnes) {
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("open", sdk::CommitState::Running)));
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("done", sdk::CommitState::Success)));
  outbox_->deliverDue();
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("never sent", sdk::CommitState::Running)));
  ASSERT_TRUE(outbox_->cancelOpen("gh", repo_, "abc", "Superseded by def."));
  outbox_->deliverDue();
  auto reports = storage_->forgeReportsOf("gh", "o/r", "abc");
  ASSERT_TRUE(reports);
  std::map<std::string, std::string> states;
  for (const auto& r : *reports) states[r.name] = r.state;
  EXPECT_EQ(states["open"], "cancelled");
  EXPECT_EQ(states["done"], "success");
  EXPECT_EQ(states["never sent"], "cancelled");
  // Only the one the forge holds was changed there; the unsent one was simply not sent.
  std::size_t toForge = 0;
  for (const auto& c : forge_->calls) toForge += c.state == sdk::CommitState::Cancelled;
  EXPECT_EQ(toForge, 1u);
}

TEST_F(ReportOutboxTest, ADebouncedReportWaitsItsDelay) {
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("EkaCI: Change Summary", sdk::CommitState::Neutral),
                               std::chrono::seconds(300)));
  EXPECT_EQ(outbox_->deliverDue(), 0u);
  clock_.advance(std::chrono::seconds(299));
  EXPECT_EQ(outbox_->deliverDue(), 0u);
  clock_.advance(std::chrono::seconds(2));
  EXPECT_EQ(outbox_->deliverDue(), 1u);
}

TEST_F(ReportOutboxTest, TheSenderThreadDeliversWithoutBeingDriven) {
  outbox_->start();
  ASSERT_TRUE(outbox_->publish("gh", repo_, "abc", report("x", sdk::CommitState::Success)));
  for (int i = 0; i < 100 && publishes() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  outbox_->stop();
  EXPECT_EQ(publishes(), 1u);
}

// Forges without check runs (Gitea, GitLab) keep the change summary in one comment.
TEST_F(ReportOutboxTest, TheSummaryCommentIsCreatedOnceThenEditedInPlace) {
  testing::MergingForge& forge = addCommentingForge("gl");
  sdk::ChangeRequestRef cr;
  cr.repository = repo_;
  cr.number = 3;

  ASSERT_TRUE(outbox_->summaryComment("gl", cr, "first"));
  ASSERT_TRUE(outbox_->summaryComment("gl", cr, "second"));
  outbox_->deliverDue();
  ASSERT_EQ(forge.of("comment").size(), 1u) << "a pending summary is replaced, not sent as well";
  EXPECT_EQ(forge.of("comment")[0].text, "second");
  const auto id = storage_->pullRequestComment("gl", "o/r", 3, "change-summary").valueOr(0);
  EXPECT_NE(id, 0u);

  ASSERT_TRUE(outbox_->summaryComment("gl", cr, "third"));
  outbox_->deliverDue();
  ASSERT_EQ(forge.of("edit").size(), 1u);
  EXPECT_EQ(forge.of("edit")[0].commentId, id);
  EXPECT_EQ(forge.of("edit")[0].text, "third");
  EXPECT_EQ(forge.of("comment").size(), 1u);

  // Deleted on the forge: a new comment takes its place and is the one edited from then on.
  forge.deletedComments.insert(id);
  ASSERT_TRUE(outbox_->summaryComment("gl", cr, "fourth"));
  outbox_->deliverDue();
  ASSERT_EQ(forge.of("comment").size(), 2u);
  const auto replacement = storage_->pullRequestComment("gl", "o/r", 3, "change-summary").valueOr(0);
  EXPECT_NE(replacement, id);
  EXPECT_NE(replacement, 0u);

  // Another pull request has its own.
  cr.number = 4;
  ASSERT_TRUE(outbox_->summaryComment("gl", cr, "other"));
  outbox_->deliverDue();
  EXPECT_EQ(forge.of("comment").size(), 3u);
}

TEST_F(ReportOutboxTest, ASummaryCommentWaitsForItsDebounce) {
  testing::MergingForge& forge = addCommentingForge("gl");
  sdk::ChangeRequestRef cr;
  cr.repository = repo_;
  cr.number = 3;
  ASSERT_TRUE(outbox_->summaryComment("gl", cr, "later", std::chrono::seconds(300)));
  outbox_->deliverDue();
  EXPECT_TRUE(forge.of("comment").empty());
  clock_.advance(std::chrono::seconds(301));
  outbox_->deliverDue();
  EXPECT_EQ(forge.of("comment").size(), 1u);
}

}  // namespace
}  // namespace ekaci::forge
