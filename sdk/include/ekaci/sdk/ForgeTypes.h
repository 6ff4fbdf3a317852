#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ekaci::sdk {

// The vocabulary shared by GitHub, Gitea and GitLab. Where the forges differ (pull
// request vs merge request, check runs vs commit statuses), the SDK names the common idea
// and each plugin maps it; ForgeCapabilities says what a forge can do natively.

struct RepositoryRef {
  std::string forgeId;   // the [[forges]] id this repository belongs to
  std::string owner;     // GitHub/Gitea owner, GitLab namespace (may contain '/')
  std::string name;
  std::string cloneUrl;  // https:// or ssh:// URL, without credentials
  std::string defaultBranch;

  std::string fullName() const { return owner + "/" + name; }
};

// A pull request (GitHub, Gitea) or merge request (GitLab).
struct ChangeRequestRef {
  RepositoryRef repository;
  std::uint64_t number = 0;  // PR number / MR iid
  std::string title;
  std::string author;
  std::string baseBranch;
  std::string baseSha;
  std::string headBranch;
  std::string headSha;
  bool fromFork = false;
  bool draft = false;
};

enum class ForgeEventKind {
  ChangeRequestOpened,
  ChangeRequestUpdated,  // new commits pushed (GitHub synchronize, GitLab update with oldrev)
  ChangeRequestEdited,   // title/base/labels changed, no new commits
  ChangeRequestClosed,
  ChangeRequestMerged,
  ChangeRequestReopened,
  Push,
  Comment,          // a comment on a change request (may carry a command)
  ReviewSubmitted,  // approval or change request from a reviewer
  MergeQueueEntry,  // GitHub merge_group checks_requested
  Installation,     // app installed/removed, repositories added/removed
  Ping,
};

struct ForgeEvent {
  ForgeEventKind kind = ForgeEventKind::Ping;
  std::string deliveryId;  // the forge's delivery id, for idempotency
  ChangeRequestRef changeRequest;  // for change-request, comment and review events
  RepositoryRef repository;        // always set when the event names a repository
  // Push and merge-queue events.
  std::string ref;
  std::string beforeSha;
  std::string afterSha;
  // Comment and review events.
  std::uint64_t commentId = 0;
  std::string commentAuthor;
  std::string commentBody;
  std::string reviewState;  // "approved", "changes_requested", "commented"
};

// The incoming request as the HTTP layer received it. Headers keep their original case;
// plugins compare names case-insensitively.
struct WebhookRequest {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string path;
};

enum class CommitState { Pending, Running, Success, Failure, Error, Cancelled, Skipped, Neutral };

// A status attached to a commit: a GitHub check run, a Gitea commit status, a GitLab
// commit status. `summary` is Markdown; plugins truncate it to their forge's limit.
struct StatusReport {
  std::string name;  // check-run name / status context, e.g. "eka-ci/eval"
  CommitState state = CommitState::Pending;
  std::string title;
  std::string summary;
  std::string detailsUrl;
  std::string externalId;  // the kernel's id, to find the report again
};

enum class MergeMethod { Merge, Squash, Rebase };

enum class Reaction { Acknowledge, Success, Failure, Confused };

// Repository permission of a user, ordered from least to most.
enum class Permission { None, Read, Triage, Write, Maintain, Admin };

struct ForgeCapabilities {
  bool checkRuns = false;       // rich reports with a Markdown body (GitHub)
  bool commitStatuses = true;   // state + short description
  bool reactions = false;
  bool mergeQueue = false;
  std::size_t maxSummaryBytes = 65535;
};

// Credentials for fetching a repository with git, scoped as narrowly as the forge allows.
struct CloneCredentials {
  std::string username;  // e.g. "x-access-token" for GitHub installation tokens
  std::string password;  // a short-lived token; never logged
};

}  // namespace ekaci::sdk
