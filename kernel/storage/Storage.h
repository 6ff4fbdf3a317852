#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/storage/StorageRecords.h"

namespace ekaci::storage {

// Everything the kernel stores, as operations on rows rather than SQL, so that a
// PostgreSQL implementation can stand in without touching callers. Batched operations take
// whole vectors and run in one transaction.
//
// Threading: implementations are safe to call from any thread.
class Storage {
 public:
  virtual ~Storage();

  virtual int schemaVersion() = 0;
  virtual std::string describe() const = 0;  // "sqlite:/var/lib/ekaci/sqlite.db"

  virtual sdk::Result<std::int64_t> upsertRepository(const RepositoryRecord& repository) = 0;
  virtual sdk::Result<std::int64_t> upsertCommit(std::int64_t repositoryId, const std::string& sha) = 0;
  virtual sdk::Result<std::int64_t> upsertPullRequest(const PullRequestRecord& pullRequest) = 0;
  virtual sdk::Result<std::optional<PullRequestRecord>> findPullRequest(std::int64_t repositoryId,
                                                                        std::int64_t number) = 0;

  virtual sdk::Result<std::int64_t> createJobset(const JobsetRecord& jobset) = 0;
  virtual sdk::Result<std::optional<JobsetRecord>> findJobset(std::int64_t commitId, const std::string& jobName) = 0;
  // Forgets the jobs of a jobset that is evaluated again, and marks it running.
  virtual sdk::Result<void> resetJobset(std::int64_t jobsetId) = 0;
  virtual sdk::Result<void> finishJobset(std::int64_t jobsetId, EvalState state, const std::string& error,
                                         std::int64_t attributes, std::int64_t evalErrors) = 0;

  // Inserts or updates derivations (keyed by drv path) and their outputs; returns their
  // ids in the order given.
  virtual sdk::Result<std::vector<std::int64_t>> upsertDrvs(const std::vector<DrvRecord>& drvs) = 0;
  virtual sdk::Result<std::optional<DrvRecord>> findDrv(const std::string& drvPath) = 0;
  // (referrer, reference) pairs; existing pairs are ignored.
  virtual sdk::Result<void> insertDrvReferences(const std::vector<std::pair<std::int64_t, std::int64_t>>& edges) = 0;
  virtual sdk::Result<std::vector<std::int64_t>> referencesOf(std::int64_t drvId) = 0;
  virtual sdk::Result<std::vector<std::int64_t>> referrersOf(std::int64_t drvId) = 0;

  virtual sdk::Result<void> insertJobs(std::int64_t jobsetId, const std::vector<JobRecord>& jobs) = 0;
  virtual sdk::Result<std::vector<JobRecord>> jobsOf(std::int64_t jobsetId) = 0;
  // Jobs with their derivation paths and outputs, ordered by attribute path.
  virtual sdk::Result<std::vector<StoredJob>> loadJobset(std::int64_t jobsetId) = 0;

  // Appends a state event and sets the derivation's current state, atomically. With a guard
  // set, an event whose state the guard forbids after the current one is refused
  // (StorageConstraint) inside the same transaction, whoever writes it.
  virtual sdk::Result<std::int64_t> recordBuildEvent(const BuildEventRecord& event) = 0;
  using TransitionGuard = std::function<bool(const std::string& from, const std::string& to)>;
  virtual void setTransitionGuard(TransitionGuard guard) = 0;
  virtual sdk::Result<std::vector<BuildEventRecord>> buildEvents(std::int64_t drvId) = 0;
  // The current states of derivations (those never built have state "new").
  virtual sdk::Result<std::vector<DrvBuildStatus>> drvStatuses(const std::vector<std::int64_t>& drvIds) = 0;
  virtual sdk::Result<std::optional<DrvBuildStatus>> drvStatus(const std::string& drvPath) = 0;
  // Derivations whose state is one of `states` ("building", ...).
  virtual sdk::Result<std::vector<DrvBuildStatus>> drvsInStates(const std::vector<std::string>& states,
                                                                std::size_t limit) = 0;
  // A permanent failure is remembered until `expiresAt` (Unix seconds); 0 forgets it.
  virtual sdk::Result<void> setFailureExpiry(std::int64_t drvId, std::int64_t expiresAt) = 0;

  // Jobsets handed to the scheduler. Submitting again replaces the roots and reopens it.
  virtual sdk::Result<void> submitBuildJobset(const BuildJobsetRecord& jobset) = 0;
  virtual sdk::Result<std::optional<BuildJobsetRecord>> findBuildJobset(std::int64_t jobsetId) = 0;
  virtual sdk::Result<std::vector<BuildJobsetRecord>> openBuildJobsets() = 0;
  virtual sdk::Result<void> concludeBuildJobset(std::int64_t jobsetId, BuildJobsetState state, std::int64_t at) = 0;

  // Output sizes measured for a jobset (its repository and commit); measuring again replaces.
  virtual sdk::Result<void> recordOutputSizes(std::int64_t jobsetId, const std::vector<OutputSizeRecord>& sizes) = 0;
  // The latest recorded size of each of `storePaths` that was ever measured.
  virtual sdk::Result<std::vector<OutputSizeRecord>> outputSizesOf(const std::vector<std::string>& storePaths) = 0;

  virtual sdk::Result<std::int64_t> enqueueOutbox(const OutboxMessage& message) = 0;
  virtual sdk::Result<std::vector<OutboxMessage>> dueOutbox(std::int64_t now, std::size_t limit) = 0;
  virtual sdk::Result<void> markOutboxDelivered(std::int64_t id, std::int64_t at) = 0;
  virtual sdk::Result<void> markOutboxFailed(std::int64_t id, const std::string& error, std::int64_t nextAttemptAt) = 0;

  // Gives up on a message (its error is permanent or it was retried too often); it stays
  // in the table, marked, for the operator.
  virtual sdk::Result<void> markOutboxAbandoned(std::int64_t id, const std::string& error, std::int64_t at) = 0;
  virtual sdk::Result<OutboxStats> outboxStats() = 0;

  // Stores the events of one delivery in one transaction. False (and nothing stored) when
  // the forge's delivery id was stored before: a redelivery.
  virtual sdk::Result<bool> recordForgeEvents(const std::vector<ForgeEventRecord>& events) = 0;
  // Events not yet processed, oldest first.
  virtual sdk::Result<std::vector<ForgeEventRecord>> pendingForgeEvents(std::size_t limit) = 0;
  struct ForgeEventOutcome {
    std::int64_t id = 0;
    std::string state;  // done, failed
    std::string error;
  };
  // Marks handled events, all in one transaction.
  virtual sdk::Result<void> finishForgeEvents(const std::vector<ForgeEventOutcome>& outcomes, std::int64_t at) = 0;

  virtual sdk::Result<std::optional<ForgeReportRecord>> findForgeReport(const std::string& forgeId,
                                                                        const std::string& repository,
                                                                        const std::string& commitSha,
                                                                        const std::string& name) = 0;
  // Reports of a commit; an empty forgeId or repository matches all.
  virtual sdk::Result<std::vector<ForgeReportRecord>> forgeReportsOf(const std::string& forgeId,
                                                                     const std::string& repository,
                                                                     const std::string& commitSha) = 0;
  virtual sdk::Result<void> saveForgeReport(const ForgeReportRecord& report) = 0;

  // The comment this server keeps on a pull request for one purpose ("change-summary"), on
  // forges whose reports cannot carry it: created once, then edited in place. 0: none yet.
  virtual sdk::Result<std::uint64_t> pullRequestComment(const std::string& forgeId, const std::string& repository,
                                                        std::uint64_t number, const std::string& purpose) = 0;
  virtual sdk::Result<void> savePullRequestComment(const std::string& forgeId, const std::string& repository,
                                                   std::uint64_t number, const std::string& purpose,
                                                   std::uint64_t commentId, std::int64_t at) = 0;

  virtual sdk::Result<void> saveForgeReview(const ForgeReviewRecord& review) = 0;
  virtual sdk::Result<std::vector<ForgeReviewRecord>> forgeReviewsInStates(const std::vector<std::string>& states) = 0;
  // Reviews whose head is `headSha`, newest first.
  virtual sdk::Result<std::vector<ForgeReviewRecord>> forgeReviewsOf(const std::string& headSha) = 0;

  // Pull requests, most recently updated first; an empty owner/name matches all.
  virtual sdk::Result<std::vector<PullRequestListing>> pullRequests(const std::string& owner, const std::string& name,
                                                                    std::size_t limit) = 0;

  virtual sdk::Result<std::optional<PullRequestListing>> findPullRequestOf(const std::string& forgeId,
                                                                           const std::string& owner,
                                                                           const std::string& name,
                                                                           std::int64_t number) = 0;

  // Authors whose pull requests are reviewed when require_approval holds the others.
  virtual sdk::Result<bool> setApprovedUser(const std::string& login, bool approved, std::int64_t at) = 0;
  virtual sdk::Result<std::vector<std::string>> approvedUsers() = 0;

  // Merges asked for a pull request; none: nullopt.
  virtual sdk::Result<std::optional<MergeRequestRecord>> findMergeRequest(const std::string& forgeId,
                                                                          const std::string& repository,
                                                                          std::int64_t number) = 0;
  virtual sdk::Result<void> saveMergeRequest(const MergeRequestRecord& request) = 0;
  // Open requests with auto-merge or a pending command, for the evaluator after a restart.
  virtual sdk::Result<std::vector<MergeRequestRecord>> pendingMergeRequests() = 0;

  // Approving reviews (one per reviewer; a dismissal deletes it).
  virtual sdk::Result<void> setApproval(const std::string& forgeId, const std::string& repository, std::int64_t number,
                                        const ApprovalRecord& approval, bool approved) = 0;
  virtual sdk::Result<std::vector<ApprovalRecord>> approvalsOf(const std::string& forgeId,
                                                               const std::string& repository, std::int64_t number) = 0;

  // Package maintainers per attribute path: "meta" rows come from evaluations of merged code
  // (a base), "admin" rows from the operator; both count.
  virtual sdk::Result<void> replaceMetaMaintainers(
      const std::vector<std::pair<std::string, std::vector<std::string>>>& attrs, std::int64_t at) = 0;
  virtual sdk::Result<bool> setAdminMaintainer(const std::string& attr, const std::string& login, bool present,
                                               std::int64_t at) = 0;
  struct MaintainerRow {
    std::string attr;
    std::string login;
    std::string source;  // meta, admin
  };
  // Rows of the given attributes (all when empty).
  virtual sdk::Result<std::vector<MaintainerRow>> maintainersOf(const std::vector<std::string>& attrs) = 0;

  // Cache pushes, one row per cache and store path (the latest attempt).
  virtual sdk::Result<void> saveCachePush(const CachePushRecord& push) = 0;
  // The row of a store path in a cache, if it was ever attempted.
  virtual sdk::Result<std::optional<CachePushRecord>> findCachePush(const std::string& cacheId,
                                                                    const std::string& storePath) = 0;
  // Rows of one derivation's outputs (all caches).
  virtual sdk::Result<std::vector<CachePushRecord>> cachePushesOf(std::int64_t drvId) = 0;

  // Post-build hook runs: started (returns its id), then finished.
  virtual sdk::Result<std::int64_t> startHookRun(const HookRunRecord& run) = 0;
  virtual sdk::Result<void> finishHookRun(std::int64_t id, std::int64_t finishedAt,
                                          std::optional<std::int64_t> exitCode, bool success) = 0;
  virtual sdk::Result<std::vector<HookRunRecord>> hookRunsOf(std::int64_t drvId) = 0;

  // What is done after each build of an open jobset (publish::PublishTargetJson text), kept
  // so that a restart does not lose it: saved when the jobset's job is known, deleted when
  // it concluded.
  virtual sdk::Result<void> savePublishTarget(std::int64_t jobsetId, const std::string& target) = 0;
  virtual sdk::Result<void> deletePublishTarget(std::int64_t jobsetId) = 0;
  virtual sdk::Result<std::vector<std::pair<std::int64_t, std::string>>> publishTargets() = 0;

  virtual sdk::Result<StorageCounts> counts() = 0;
};

}  // namespace ekaci::storage
