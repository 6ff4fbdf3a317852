#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ekaci::storage {

// Plain rows exchanged with Storage. Times are Unix seconds.

struct RepositoryRecord {
  std::int64_t id = 0;
  std::string forgeId;  // "local" for repositories reviewed without a forge
  std::string owner;
  std::string name;
  std::string cloneUrl;
  std::string defaultBranch = "main";
};

enum class ChangeRequestState { Open, Closed, Merged };

struct PullRequestRecord {
  std::int64_t id = 0;
  std::int64_t repositoryId = 0;
  std::int64_t number = 0;
  std::string title;
  std::string author;
  ChangeRequestState state = ChangeRequestState::Open;
  std::string baseBranch;
  std::string baseSha;
  std::string headBranch;
  std::string headSha;
  bool fromFork = false;
};

enum class EvalState { Pending, Running, Succeeded, Failed };

struct JobsetRecord {
  std::int64_t id = 0;
  std::int64_t repositoryId = 0;
  std::int64_t commitId = 0;
  std::string jobName;
  std::string configJson;
  EvalState evalState = EvalState::Pending;
  std::string evalError;
  std::int64_t attributes = 0;
  std::int64_t evalErrors = 0;
};

struct DrvRecord {
  std::int64_t id = 0;
  std::string drvPath;
  std::string system;
  bool isFixedOutput = false;
  std::vector<std::string> requiredFeatures;
  bool preferLocalBuild = false;
  std::optional<std::string> pname;
  std::optional<std::string> version;
  std::optional<std::string> licenseJson;
  std::optional<std::string> maintainersJson;
  std::vector<std::pair<std::string, std::string>> outputs;  // name -> store path
};

enum class DiffKind { Added, Removed, Changed, Unchanged };

struct JobRecord {
  std::int64_t id = 0;
  std::string attrPath;
  std::optional<std::int64_t> drvId;  // empty for an evaluation error
  DiffKind diffKind = DiffKind::Unchanged;
  std::optional<std::string> evalError;
  std::optional<std::string> system;
  std::optional<std::string> pname;
  std::optional<std::string> version;
  std::optional<std::string> licenseJson;       // JSON array of strings
  std::optional<std::string> maintainersJson;   // JSON array of strings
  std::optional<std::string> testsJson;         // JSON array of strings
  std::optional<std::string> metaWarningsJson;  // JSON array of strings: metadata that failed to evaluate
};

// A job joined with its derivation and outputs: what an evaluation produced for one
// attribute, as stored.
struct StoredJob {
  JobRecord job;
  std::string drvPath;
  std::vector<std::pair<std::string, std::string>> outputs;
};

struct BuildEventRecord {
  std::int64_t id = 0;
  std::int64_t drvId = 0;
  std::int64_t attempt = 0;
  std::string state;  // the scheduler's state name
  std::string detail;
  std::int64_t at = 0;
};

enum class BuildJobsetState { Building, Succeeded, Failed, Cancelled };

// A jobset handed to the scheduler: the derivations it wants built (roots), whether each
// counts towards the jobset's conclusion (head jobs do, base comparisons do not), and the
// key under which a newer submission supersedes it ("<repository id>#<pr>").
struct BuildRoot {
  std::int64_t drvId = 0;
  std::string drvPath;
  bool counts = true;
};

struct BuildJobsetRecord {
  std::int64_t jobsetId = 0;
  BuildJobsetState state = BuildJobsetState::Building;
  std::int64_t rebuildCount = 0;  // priority: fewest rebuilds first
  std::string supersedeKey;
  std::int64_t submittedAt = 0;
  std::int64_t concludedAt = 0;
  std::vector<BuildRoot> roots;
};

// A derivation's current build state as persisted, with the detail of its last event.
struct DrvBuildStatus {
  std::int64_t drvId = 0;
  std::string drvPath;
  std::string state;
  std::int64_t attempt = 0;
  std::string detail;
  std::int64_t updatedAt = 0;
  std::int64_t failureExpiresAt = 0;  // 0: no cached failure
};

// The measured size of one output of a derivation, recorded with the jobset (and so the
// repository and commit) it was built for.
struct OutputSizeRecord {
  std::int64_t drvId = 0;
  std::string outputName;
  std::string storePath;
  std::int64_t narSize = 0;
  std::int64_t closureSize = 0;
  std::int64_t recordedAt = 0;
};

struct OutboxMessage {
  std::int64_t id = 0;
  std::string forgeId;
  std::string kind;  // "report", "comment", "react", "merge"
  std::string payloadJson;
  std::optional<std::string> dedupeKey;  // a newer message with the same key replaces a pending one
  std::int64_t attempts = 0;
  std::int64_t nextAttemptAt = 0;
  std::string lastError;
};

// One verified webhook event as the forge service stored it, before and after processing.
// A delivery that parsed into several events has one row per event (seq 0, 1, ...).
struct ForgeEventRecord {
  std::int64_t id = 0;
  std::string forgeId;
  std::string deliveryId;
  std::int64_t seq = 0;
  std::string eventName;
  std::string action;
  std::string kind;               // the ForgeEventKind's name
  std::string payloadJson;        // the whole event
  std::string state = "pending";  // pending, done, failed
  std::string error;
  std::int64_t receivedAt = 0;
};

// A report (check run, commit status) this server published on a commit: the forge's id
// for it, its last delivered state and the hash of the last payload sent, so a restart
// finds it again and the same state is never sent twice.
struct ForgeReportRecord {
  std::string forgeId;
  std::string repository;  // owner/name
  std::string commitSha;
  std::string name;
  std::string remoteId;
  std::string state;
  std::string payloadHash;
  std::int64_t updatedAt = 0;
};

// One review the forge service ran (or will run) for a pull request or merge-queue entry at
// one head: the event that asked for it (to run it again after a restart) and, once done,
// the report as JSON and Markdown (for the API's change summary).
struct ForgeReviewRecord {
  std::string forgeId;
  std::string repository;  // owner/name
  std::string key;         // "pr/<number>", "merge-queue/<ref>"
  std::string headSha;
  std::string baseSha;
  std::string state = "queued";  // queued, running, done, failed, cancelled
  std::string eventJson;
  std::string reportJson;
  std::string markdown;
  std::string error;
  std::int64_t updatedAt = 0;
  // When done: whether the head may be merged as far as the review goes (evaluation clean,
  // nothing new or changed failing to build), and the packages the pull request changes as
  // JSON [{"attr": …, "maintainers": [base's logins]}].
  bool gatesPassed = false;
  std::string changedPackagesJson = "[]";
};

// What is asked of the merge of one pull request: auto-merge enabled from the API, a
// pending "@eka-ci merge" pinned to a head, and the merge once it happened.
struct MergeRequestRecord {
  std::string forgeId;
  std::string repository;  // owner/name
  std::int64_t number = 0;
  bool autoMerge = false;
  std::string preferredMethod;  // the pull request's own preference (API); "" none
  // The pending comment command; empty pinnedSha: none.
  std::string pinnedSha;
  std::string commandMethod;  // "" a bare "@eka-ci merge"
  std::string requester;
  std::string requesterId;
  std::int64_t commentId = 0;
  std::int64_t requestedAt = 0;
  // Set once merged.
  std::string mergedSha;
  std::string mergedMethod;
  std::string mergedBy;
  std::int64_t mergedAt = 0;
  std::int64_t updatedAt = 0;

  // Forgets the pending comment command (auto-merge and the merge stay).
  void clearCommand();
};

// An approving review of a pull request by one reviewer (dismissals remove it).
struct ApprovalRecord {
  std::string reviewer;
  std::string headSha;
  std::int64_t at = 0;
};

// A pull request with the repository it belongs to, for listings.
struct PullRequestListing {
  RepositoryRecord repository;
  PullRequestRecord pullRequest;
  std::int64_t updatedAt = 0;
};

struct OutboxStats {
  std::int64_t pending = 0;
  std::optional<std::int64_t> oldestCreatedAt;  // of the pending messages
  std::optional<std::int64_t> nextAttemptAt;    // the earliest pending attempt
  std::int64_t abandoned = 0;
};

struct StorageCounts {
  std::int64_t repositories = 0;
  std::int64_t pullRequests = 0;
  std::int64_t jobsets = 0;
  std::int64_t drvs = 0;
  std::int64_t pendingOutbox = 0;
  std::vector<std::pair<std::string, std::int64_t>> queuedBySystem;
};

const char* toString(ChangeRequestState state);
const char* toString(BuildJobsetState state);
std::optional<BuildJobsetState> buildJobsetStateFrom(const std::string& text);
const char* toString(EvalState state);
const char* toString(DiffKind kind);
std::optional<ChangeRequestState> changeRequestStateFrom(const std::string& text);
std::optional<EvalState> evalStateFrom(const std::string& text);
std::optional<DiffKind> diffKindFrom(const std::string& text);

// One store path pushed (or not) to one cache: the latest attempt's outcome.
struct CachePushRecord {
  std::string cacheId;
  std::int64_t drvId = 0;  // 0: not known
  std::string storePath;
  std::string state = "pending";  // pending, pushed, failed, skipped
  std::int64_t attempts = 0;
  std::string lastError;  // never a secret: cache plugins describe failures without credentials
  std::int64_t finishedAt = 0;
};

// One run of a post-build hook.
struct HookRunRecord {
  std::int64_t id = 0;
  std::int64_t drvId = 0;
  std::string hookName;
  std::int64_t startedAt = 0;
  std::int64_t finishedAt = 0;  // 0: still running (or the server stopped during it)
  std::optional<std::int64_t> exitCode;
  bool success = false;
  std::string logPath;
};

}  // namespace ekaci::storage
