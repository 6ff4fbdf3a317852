#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "kernel/storage/Storage.h"

namespace Poco::Data {
class Session;
}

namespace ekaci::storage {

// Storage on SQLite through Poco::Data: WAL journal, foreign keys on, a 5 s busy timeout,
// migrations applied at open inside one transaction. One connection guarded by a mutex.
class SqliteStorage : public Storage {
 public:
  // Opens (creating the file and its directory) and migrates. Refuses a database whose
  // schema is newer than this binary knows (StorageSchemaTooNew).
  static sdk::Result<std::unique_ptr<SqliteStorage>> open(const std::filesystem::path& path);
  ~SqliteStorage() override;

  int schemaVersion() override;
  std::string describe() const override { return "sqlite:" + path_.string(); }
  std::string journalMode();
  bool foreignKeysEnabled();

  sdk::Result<std::int64_t> upsertRepository(const RepositoryRecord& repository) override;
  sdk::Result<std::int64_t> upsertCommit(std::int64_t repositoryId, const std::string& sha) override;
  sdk::Result<std::int64_t> upsertPullRequest(const PullRequestRecord& pullRequest) override;
  sdk::Result<std::optional<PullRequestRecord>> findPullRequest(std::int64_t repositoryId,
                                                                std::int64_t number) override;
  sdk::Result<std::int64_t> createJobset(const JobsetRecord& jobset) override;
  sdk::Result<std::optional<JobsetRecord>> findJobset(std::int64_t commitId, const std::string& jobName) override;
  sdk::Result<void> resetJobset(std::int64_t jobsetId) override;
  sdk::Result<void> finishJobset(std::int64_t jobsetId, EvalState state, const std::string& error,
                                 std::int64_t attributes, std::int64_t evalErrors) override;
  sdk::Result<std::vector<std::int64_t>> upsertDrvs(const std::vector<DrvRecord>& drvs) override;
  sdk::Result<std::optional<DrvRecord>> findDrv(const std::string& drvPath) override;
  sdk::Result<void> insertDrvReferences(const std::vector<std::pair<std::int64_t, std::int64_t>>& edges) override;
  sdk::Result<std::vector<std::int64_t>> referencesOf(std::int64_t drvId) override;
  sdk::Result<std::vector<std::int64_t>> referrersOf(std::int64_t drvId) override;
  sdk::Result<void> insertJobs(std::int64_t jobsetId, const std::vector<JobRecord>& jobs) override;
  sdk::Result<std::vector<JobRecord>> jobsOf(std::int64_t jobsetId) override;
  sdk::Result<std::vector<StoredJob>> loadJobset(std::int64_t jobsetId) override;
  sdk::Result<std::int64_t> recordBuildEvent(const BuildEventRecord& event) override;
  void setTransitionGuard(TransitionGuard guard) override;
  sdk::Result<std::vector<BuildEventRecord>> buildEvents(std::int64_t drvId) override;
  // Build bookkeeping (SqliteBuildRecords.cpp).
  sdk::Result<std::vector<DrvBuildStatus>> drvStatuses(const std::vector<std::int64_t>& drvIds) override;
  sdk::Result<void> recordOutputSizes(std::int64_t jobsetId, const std::vector<OutputSizeRecord>& sizes) override;
  sdk::Result<std::vector<OutputSizeRecord>> outputSizesOf(const std::vector<std::string>& storePaths) override;
  sdk::Result<std::optional<DrvBuildStatus>> drvStatus(const std::string& drvPath) override;
  sdk::Result<std::vector<DrvBuildStatus>> drvsInStates(const std::vector<std::string>& states,
                                                        std::size_t limit) override;
  sdk::Result<void> setFailureExpiry(std::int64_t drvId, std::int64_t expiresAt) override;
  sdk::Result<void> submitBuildJobset(const BuildJobsetRecord& jobset) override;
  sdk::Result<std::optional<BuildJobsetRecord>> findBuildJobset(std::int64_t jobsetId) override;
  sdk::Result<std::vector<BuildJobsetRecord>> openBuildJobsets() override;
  sdk::Result<void> concludeBuildJobset(std::int64_t jobsetId, BuildJobsetState state, std::int64_t at) override;
  sdk::Result<std::int64_t> enqueueOutbox(const OutboxMessage& message) override;
  sdk::Result<std::vector<OutboxMessage>> dueOutbox(std::int64_t nowSeconds, std::size_t maxCount) override;
  sdk::Result<void> markOutboxDelivered(std::int64_t id, std::int64_t at) override;
  sdk::Result<void> markOutboxFailed(std::int64_t id, const std::string& error, std::int64_t nextAttemptAt) override;
  sdk::Result<void> markOutboxAbandoned(std::int64_t id, const std::string& error, std::int64_t at) override;
  sdk::Result<OutboxStats> outboxStats() override;
  // Forge bookkeeping (SqliteForgeRecords.cpp).
  sdk::Result<bool> recordForgeEvents(const std::vector<ForgeEventRecord>& events) override;
  sdk::Result<std::vector<ForgeEventRecord>> pendingForgeEvents(std::size_t limit) override;
  sdk::Result<void> finishForgeEvents(const std::vector<ForgeEventOutcome>& outcomes, std::int64_t at) override;
  sdk::Result<std::optional<ForgeReportRecord>> findForgeReport(const std::string& forgeId,
                                                                const std::string& repository,
                                                                const std::string& commitSha,
                                                                const std::string& name) override;
  sdk::Result<std::vector<ForgeReportRecord>> forgeReportsOf(const std::string& forgeId, const std::string& repository,
                                                             const std::string& commitSha) override;
  sdk::Result<void> saveForgeReport(const ForgeReportRecord& report) override;
  sdk::Result<std::uint64_t> pullRequestComment(const std::string& forgeId, const std::string& repository,
                                                std::uint64_t number, const std::string& purpose) override;
  sdk::Result<void> savePullRequestComment(const std::string& forgeId, const std::string& repository,
                                           std::uint64_t number, const std::string& purpose, std::uint64_t commentId,
                                           std::int64_t at) override;
  sdk::Result<void> saveForgeReview(const ForgeReviewRecord& review) override;
  sdk::Result<std::vector<ForgeReviewRecord>> forgeReviewsInStates(const std::vector<std::string>& states) override;
  sdk::Result<std::vector<ForgeReviewRecord>> forgeReviewsOf(const std::string& headSha) override;
  sdk::Result<std::vector<PullRequestListing>> pullRequests(const std::string& owner, const std::string& name,
                                                            std::size_t limit) override;
  sdk::Result<std::optional<PullRequestListing>> findPullRequestOf(const std::string& forgeId, const std::string& owner,
                                                                   const std::string& name,
                                                                   std::int64_t number) override;
  sdk::Result<bool> setApprovedUser(const std::string& login, bool approved, std::int64_t at) override;
  sdk::Result<std::vector<std::string>> approvedUsers() override;
  sdk::Result<std::optional<MergeRequestRecord>> findMergeRequest(const std::string& forgeId,
                                                                  const std::string& repository,
                                                                  std::int64_t number) override;
  sdk::Result<void> saveMergeRequest(const MergeRequestRecord& request) override;
  sdk::Result<std::vector<MergeRequestRecord>> pendingMergeRequests() override;
  sdk::Result<void> setApproval(const std::string& forgeId, const std::string& repository, std::int64_t number,
                                const ApprovalRecord& approval, bool approved) override;
  sdk::Result<std::vector<ApprovalRecord>> approvalsOf(const std::string& forgeId, const std::string& repository,
                                                       std::int64_t number) override;
  sdk::Result<void> replaceMetaMaintainers(const std::vector<std::pair<std::string, std::vector<std::string>>>& attrs,
                                           std::int64_t at) override;
  sdk::Result<bool> setAdminMaintainer(const std::string& attr, const std::string& login, bool present,
                                       std::int64_t at) override;
  sdk::Result<std::vector<MaintainerRow>> maintainersOf(const std::vector<std::string>& attrs) override;
  sdk::Result<void> saveCachePush(const CachePushRecord& push) override;
  sdk::Result<std::optional<CachePushRecord>> findCachePush(const std::string& cacheId,
                                                            const std::string& storePath) override;
  sdk::Result<std::vector<CachePushRecord>> cachePushesOf(std::int64_t drvId) override;
  sdk::Result<std::int64_t> startHookRun(const HookRunRecord& run) override;
  sdk::Result<void> finishHookRun(std::int64_t id, std::int64_t finishedAt, std::optional<std::int64_t> exitCode,
                                  bool success) override;
  sdk::Result<std::vector<HookRunRecord>> hookRunsOf(std::int64_t drvId) override;
  sdk::Result<void> savePublishTarget(std::int64_t jobsetId, const std::string& target) override;
  sdk::Result<void> deletePublishTarget(std::int64_t jobsetId) override;
  sdk::Result<std::vector<std::pair<std::int64_t, std::string>>> publishTargets() override;
  sdk::Result<StorageCounts> counts() override;

 private:
  std::vector<PullRequestListing> pullRequestsWhere(const std::string& forgeId, const std::string& owner,
                                                    const std::string& name, std::int64_t number, std::size_t limit);
  std::vector<MergeRequestRecord> mergeRequestsWhere(const std::string& condition,
                                                     const std::vector<std::string>& values);
  SqliteStorage(std::filesystem::path path, std::unique_ptr<Poco::Data::Session> session);
  sdk::Result<void> migrate();
  std::vector<DrvBuildStatus> statusesOf(const std::vector<std::int64_t>& drvIds);
  std::vector<BuildRoot> rootsOf(std::int64_t jobsetId);
  std::vector<ForgeReviewRecord> reviewsWhere(const std::string& condition, const std::vector<std::string>& values);

  std::filesystem::path path_;
  std::mutex mutex_;
  TransitionGuard transitionGuard_;  // under mutex_
  std::unique_ptr<Poco::Data::Session> session_;
};

}  // namespace ekaci::storage
