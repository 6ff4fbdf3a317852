// What merging stores: requests per pull request, approvals per reviewer, maintainers per
// attribute path and source.
#include <gtest/gtest.h>

#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::storage {
namespace {

class SqliteMergeRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override { storage_ = SqliteStorage::open(dir_.path() / "db.sqlite").value(); }
  testsupport::TempDir dir_;
  std::unique_ptr<SqliteStorage> storage_;
};

TEST_F(SqliteMergeRecordsTest, AMergeRequestIsKeptPerPullRequestAndListedWhilePending) {
  EXPECT_FALSE(*storage_->findMergeRequest("gh", "o/r", 7));
  MergeRequestRecord request{"gh", "o/r", 7, false, "", "abc", "squash", "alice", "42", 501, 100, "", "", "", 0, 100};
  ASSERT_TRUE(storage_->saveMergeRequest(request));
  auto found = storage_->findMergeRequest("gh", "o/r", 7);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->pinnedSha, "abc");
  EXPECT_EQ((*found)->commandMethod, "squash");
  EXPECT_EQ((*found)->commentId, 501);
  EXPECT_EQ(storage_->pendingMergeRequests()->size(), 1u);
  request.mergedSha = "abc";
  request.mergedAt = 200;
  ASSERT_TRUE(storage_->saveMergeRequest(request));
  EXPECT_TRUE(storage_->pendingMergeRequests()->empty()) << "merged: nothing pending";
  EXPECT_FALSE(*storage_->findMergeRequest("gh", "o/r", 8));
  request.commandMethod = "fast-forward";
  EXPECT_FALSE(storage_->saveMergeRequest(request)) << "the schema knows the methods";
}

TEST_F(SqliteMergeRecordsTest, OneApprovalPerReviewerWithdrawnByADismissal) {
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"Alice", "h1", 1}, true));
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"alice", "h2", 2}, true));
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"bob", "h2", 3}, true));
  auto approvals = storage_->approvalsOf("gh", "o/r", 7);
  ASSERT_EQ(approvals->size(), 2u);
  EXPECT_EQ((*approvals)[0].headSha, "h2") << "the newer approval of the same reviewer";
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"bob", "", 4}, false));
  EXPECT_EQ(storage_->approvalsOf("gh", "o/r", 7)->size(), 1u);
  EXPECT_TRUE(storage_->approvalsOf("gh", "o/r", 8)->empty());
}

TEST_F(SqliteMergeRecordsTest, MetaMaintainersAreReplacedAdminOnesStay) {
  ASSERT_TRUE(storage_->replaceMetaMaintainers({{"hello", {"alice", "bob"}}}, 1));
  ASSERT_TRUE(*storage_->setAdminMaintainer("hello", "carol", true, 2));
  EXPECT_FALSE(*storage_->setAdminMaintainer("hello", "carol", true, 3)) << "already there";
  ASSERT_TRUE(storage_->replaceMetaMaintainers({{"hello", {"alice"}}}, 4));
  auto rows = storage_->maintainersOf({"hello"});
  ASSERT_TRUE(rows);
  std::vector<std::string> seen;
  for (const auto& row : *rows) seen.push_back(row.login + ":" + row.source);
  EXPECT_EQ(seen, (std::vector<std::string>{"alice:meta", "carol:admin"}));
  EXPECT_TRUE(*storage_->setAdminMaintainer("hello", "carol", false, 5));
  EXPECT_EQ(storage_->maintainersOf({})->size(), 1u);
  EXPECT_TRUE(storage_->maintainersOf({"other"})->empty());
}

}  // namespace
}  // namespace ekaci::storage
