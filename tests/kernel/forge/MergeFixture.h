#pragma once

// The merge parts of the kernel wired as the forge service wires them, on a real SQLite
// database, a MergingForge and a manual clock; pull request o/r#7 is known at kHead.
#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "ekaci/sdk/testing/ManualClock.h"
#include "kernel/forge/AutoMerger.h"
#include "kernel/forge/ChangedPackages.h"
#include "kernel/forge/MergeCommands.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/kernel/forge/MergingForge.h"
#include "tests/support/TempDir.h"

namespace ekaci::forge::testing {

inline constexpr const char* kHead = "1111111111111111111111111111111111111111";
inline constexpr const char* kNewHead = "2222222222222222222222222222222222222222";
inline constexpr std::int64_t kCommentAt = 1'800'000'000;

class MergeFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::SqliteStorage::open(dir_.path() / "db.sqlite").value();
    auto instance = std::make_unique<ForgeInstances::Instance>();
    instance->id = "gh";
    instance->type = "merging";
    auto forge = std::make_unique<MergingForge>();
    forge_ = forge.get();
    instance->forge = std::move(forge);
    forges_.add(std::move(instance));
    outbox_ = std::make_unique<ReportOutbox>(ReportOutbox::Services{*storage_, forges_, metrics_, logger_, clock_},
                                             ReportOutbox::Options{});
    authority_ = std::make_unique<MergeAuthority>(MergeAuthority::Services{*storage_, forges_, clock_});
    limiter_ = std::make_unique<CommandRateLimiter>(clock_, std::chrono::seconds(5));
    merger_ = std::make_unique<AutoMerger>(
        AutoMerger::Services{*storage_, forges_, *outbox_, *authority_, metrics_, logger_, clock_},
        AutoMerger::Options{sdk::MergeMethod::Squash});
    commands_ = std::make_unique<MergeCommands>(MergeCommands::Services{*storage_, forges_, *outbox_, *authority_,
                                                                        *merger_, *limiter_, metrics_, logger_, clock_},
                                                MergeCommands::Options{"eka-ci", std::chrono::seconds(30)});
    forge_->permissions = {{"writer", sdk::Permission::Write}, {"reader", sdk::Permission::Read}};
    forge_->heads[7] = kHead;
    forge_->commitTimes[kHead] = kCommentAt - 600;
    recordPullRequest(kHead);
  }

  void recordPullRequest(const std::string& head) {
    storage::RepositoryRecord repository{0, "gh", "o", "r", "https://example.invalid/o/r.git", "main"};
    auto id = storage_->upsertRepository(repository);
    ASSERT_TRUE(id);
    storage::PullRequestRecord pr;
    pr.repositoryId = *id;
    pr.number = 7;
    pr.title = "hello: 1.0 -> 2.0";
    pr.author = "stranger";
    pr.baseBranch = "main";
    pr.baseSha = "0000000000000000000000000000000000000000";
    pr.headBranch = "bump";
    pr.headSha = head;
    ASSERT_TRUE(storage_->upsertPullRequest(pr));
    forge_->heads[7] = head;
  }

  // The head's review concluded; `changed` are the packages it changes with their base maintainers.
  void reviewDone(const std::string& head, bool passed, const std::vector<ChangedPackage>& changed) {
    storage::ForgeReviewRecord review;
    review.forgeId = "gh";
    review.repository = "o/r";
    review.key = "pr/7";
    review.headSha = head;
    review.state = "done";
    review.eventJson = "{}";
    review.updatedAt = 10;
    review.gatesPassed = passed;
    review.changedPackagesJson = ChangedPackages::encode(changed);
    ASSERT_TRUE(storage_->saveForgeReview(review));
  }

  sdk::ForgeEvent comment(const std::string& author, const std::string& body, std::uint64_t id = 501) {
    sdk::ForgeEvent event;
    event.kind = sdk::ForgeEventKind::Comment;
    event.eventName = "issue_comment";
    event.action = "created";
    event.changeRequest.repository.forgeId = "gh";
    event.changeRequest.repository.owner = "o";
    event.changeRequest.repository.name = "r";
    event.changeRequest.number = 7;
    event.repository = event.changeRequest.repository;
    event.commentId = id;
    event.commentAuthor = author;
    event.commentAuthorId = "id-" + author;
    event.commentCreatedAt = kCommentAt;
    event.commentBody = body;
    return event;
  }

  void say(const sdk::ForgeEvent& event) {
    auto handled = commands_->handle("gh", event);
    ASSERT_TRUE(handled) << handled.error().describe();
    outbox_->deliverDue();
  }
  std::vector<std::string> reactions() {
    std::vector<std::string> out;
    for (const auto& r : forge_->of("react")) out.push_back(r.text);
    return out;
  }
  std::optional<storage::MergeRequestRecord> request() { return storage_->findMergeRequest("gh", "o/r", 7).value(); }

  testsupport::TempDir dir_;
  std::unique_ptr<storage::SqliteStorage> storage_;
  ForgeInstances forges_;
  MergingForge* forge_ = nullptr;
  sdk::testing::InMemoryMetrics metrics_;
  sdk::testing::CapturingLogger logger_;
  sdk::testing::ManualClock clock_;
  std::unique_ptr<ReportOutbox> outbox_;
  std::unique_ptr<MergeAuthority> authority_;
  std::unique_ptr<CommandRateLimiter> limiter_;
  std::unique_ptr<AutoMerger> merger_;
  std::unique_ptr<MergeCommands> commands_;
};

inline const std::vector<ChangedPackage> kHello = {{"hello", "version-bump", {"alice"}}};

}  // namespace ekaci::forge::testing
