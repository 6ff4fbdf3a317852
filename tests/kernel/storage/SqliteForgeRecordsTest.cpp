// What the forge service stores: events de-duplicated per delivery, reports by name, reviews
// by head, approved users, pull-request listings and the outbox's statistics.
#include <gtest/gtest.h>

#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::storage {
namespace {

class SqliteForgeRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override { storage_ = SqliteStorage::open(dir_.path() / "db.sqlite").value(); }
  ForgeEventRecord event(const std::string& delivery, std::int64_t seq) {
    return ForgeEventRecord{0,    "gh",      delivery, seq, "pull_request", "opened", "change_request_opened",
                            "{}", "pending", "",       100};
  }
  testsupport::TempDir dir_;
  std::unique_ptr<SqliteStorage> storage_;
};

TEST_F(SqliteForgeRecordsTest, ADeliveryIsStoredOnceAndHandledOnce) {
  EXPECT_TRUE(*storage_->recordForgeEvents({event("d-1", 0), event("d-1", 1)}));
  EXPECT_FALSE(*storage_->recordForgeEvents({event("d-1", 0)}));
  EXPECT_TRUE(*storage_->recordForgeEvents({event("d-2", 0)}));
  auto pending = storage_->pendingForgeEvents(10);
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[1].seq, 1);
  ASSERT_TRUE(storage_->finishForgeEvents({{(*pending)[0].id, "done", ""}, {(*pending)[1].id, "failed", "why"}}, 200));
  auto left = storage_->pendingForgeEvents(10);
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ(left->front().deliveryId, "d-2");
  // Another forge may use the same delivery id.
  auto other = event("d-1", 0);
  other.forgeId = "gitea";
  EXPECT_TRUE(*storage_->recordForgeEvents({other}));
}

TEST_F(SqliteForgeRecordsTest, ReportsAreKeptPerCommitAndName) {
  ASSERT_TRUE(storage_->saveForgeReport({"gh", "o/r", "abc", "EkaCI: Configure", "", "unsent", "", 1}));
  ASSERT_TRUE(storage_->saveForgeReport({"gh", "o/r", "abc", "EkaCI: Configure", "17", "success", "h", 2}));
  ASSERT_TRUE(storage_->saveForgeReport({"gh", "o/r", "abc", "EkaCI: Change Summary", "18", "neutral", "h2", 3}));
  ASSERT_TRUE(storage_->saveForgeReport({"gh", "o/other", "abc", "EkaCI: Configure", "19", "success", "h", 3}));
  auto found = storage_->findForgeReport("gh", "o/r", "abc", "EkaCI: Configure");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->remoteId, "17");
  EXPECT_EQ((*found)->state, "success");
  EXPECT_EQ(storage_->forgeReportsOf("gh", "o/r", "abc")->size(), 2u);
  EXPECT_EQ(storage_->forgeReportsOf("", "", "abc")->size(), 3u);
  EXPECT_FALSE(*storage_->findForgeReport("gh", "o/r", "def", "EkaCI: Configure"));
}

TEST_F(SqliteForgeRecordsTest, ReviewsAreFoundByStateAndHead) {
  ForgeReviewRecord review{"gh", "o/r", "pr/1", "head1", "base", "queued", "{}", "", "", "", 10, false, "[]"};
  ASSERT_TRUE(storage_->saveForgeReview(review));
  review.key = "pr/2";
  review.headSha = "head2";
  review.state = "running";
  ASSERT_TRUE(storage_->saveForgeReview(review));
  review.state = "done";
  review.markdown = "# summary";
  review.updatedAt = 20;
  ASSERT_TRUE(storage_->saveForgeReview(review));
  EXPECT_EQ(storage_->forgeReviewsInStates({"queued", "running"})->size(), 1u);
  auto ofHead = storage_->forgeReviewsOf("head2");
  ASSERT_EQ(ofHead->size(), 1u);
  EXPECT_EQ(ofHead->front().markdown, "# summary");
  EXPECT_TRUE(storage_->forgeReviewsInStates({})->empty());
}

TEST_F(SqliteForgeRecordsTest, ApprovedUsersIgnoreCase) {
  EXPECT_TRUE(*storage_->setApprovedUser("Stranger", true, 1));
  EXPECT_FALSE(*storage_->setApprovedUser("stranger", true, 2));
  EXPECT_EQ(*storage_->approvedUsers(), std::vector<std::string>{"Stranger"});
  EXPECT_TRUE(*storage_->setApprovedUser("STRANGER", false, 3));
  EXPECT_FALSE(*storage_->setApprovedUser("stranger", false, 4));
  EXPECT_TRUE(storage_->approvedUsers()->empty());
}

TEST_F(SqliteForgeRecordsTest, PullRequestsAreListedNewestFirstPerRepository) {
  auto a = *storage_->upsertRepository({0, "gh", "o", "a", "u", "main"});
  auto b = *storage_->upsertRepository({0, "gh", "o", "b", "u", "main"});
  PullRequestRecord pr;
  pr.repositoryId = a;
  pr.number = 1;
  pr.headSha = "x";
  ASSERT_TRUE(storage_->upsertPullRequest(pr));
  pr.repositoryId = b;
  pr.number = 2;
  ASSERT_TRUE(storage_->upsertPullRequest(pr));
  EXPECT_EQ(storage_->pullRequests("", "", 10)->size(), 2u);
  auto onlyA = storage_->pullRequests("o", "a", 10);
  ASSERT_EQ(onlyA->size(), 1u);
  EXPECT_EQ(onlyA->front().pullRequest.number, 1);
  EXPECT_EQ(onlyA->front().repository.name, "a");
  EXPECT_EQ(storage_->pullRequests("", "", 1)->size(), 1u);
}

TEST_F(SqliteForgeRecordsTest, OutboxStatisticsCountPendingAndAbandoned) {
  auto empty = storage_->outboxStats();
  EXPECT_EQ(empty->pending, 0);
  EXPECT_FALSE(empty->oldestCreatedAt);
  OutboxMessage m;
  m.forgeId = "gh";
  m.kind = "report";
  m.payloadJson = "{}";
  m.nextAttemptAt = 50;
  auto id = *storage_->enqueueOutbox(m);
  m.nextAttemptAt = 40;
  ASSERT_TRUE(storage_->enqueueOutbox(m));
  auto stats = storage_->outboxStats();
  EXPECT_EQ(stats->pending, 2);
  EXPECT_EQ(stats->nextAttemptAt, 40);
  ASSERT_TRUE(storage_->markOutboxAbandoned(id, "422", 60));
  stats = storage_->outboxStats();
  EXPECT_EQ(stats->pending, 1);
  EXPECT_EQ(stats->abandoned, 1);
  EXPECT_EQ(storage_->dueOutbox(1000, 10)->size(), 1u);
}

TEST_F(SqliteForgeRecordsTest, APullRequestsCommentIsKeptPerForgeNumberAndPurpose) {
  EXPECT_EQ(storage_->pullRequestComment("gitea", "nix/pkgs", 7, "change-summary").valueOr(99), 0u);
  ASSERT_TRUE(storage_->savePullRequestComment("gitea", "nix/pkgs", 7, "change-summary", 905, 100));
  ASSERT_TRUE(storage_->savePullRequestComment("gitlab", "nix/pkgs", 7, "change-summary", 1244, 100));
  EXPECT_EQ(storage_->pullRequestComment("gitea", "nix/pkgs", 7, "change-summary").valueOr(0), 905u);
  EXPECT_EQ(storage_->pullRequestComment("gitlab", "nix/pkgs", 7, "change-summary").valueOr(0), 1244u);
  EXPECT_EQ(storage_->pullRequestComment("gitea", "nix/pkgs", 8, "change-summary").valueOr(99), 0u);
  EXPECT_EQ(storage_->pullRequestComment("gitea", "nix/pkgs", 7, "other").valueOr(99), 0u);
  ASSERT_TRUE(storage_->savePullRequestComment("gitea", "nix/pkgs", 7, "change-summary", 906, 200));
  EXPECT_EQ(storage_->pullRequestComment("gitea", "nix/pkgs", 7, "change-summary").valueOr(0), 906u);
}

}  // namespace
}  // namespace ekaci::storage
