#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Secret.h"

namespace ekaci::sdk {

// The vocabulary shared by GitHub, Gitea and GitLab. Where the forges differ (pull
// request vs merge request, check runs vs commit statuses), the SDK names the common idea
// and each plugin maps it; ForgeCapabilities says what a forge can do natively.

struct RepositoryRef {
  std::string forgeId;  // the [[forges]] id this repository belongs to
  std::string owner;    // GitHub/Gitea owner, GitLab namespace (may contain '/')
  std::string name;
  std::string cloneUrl;  // https:// or ssh:// URL (or a local path in tests), without credentials
  std::string defaultBranch;
  std::string projectId;       // the forge's own id of the repository (GitLab project id); may be empty
  std::string installationId;  // the app installation that covers it (GitHub); empty elsewhere

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
  // Where the head commit is fetched from: the fork's clone URL for a pull request from a
  // fork (reports still go to `repository`), else the repository's own.
  std::string headCloneUrl;
  bool fromFork = false;
  bool draft = false;
};

enum class ForgeEventKind {
  ChangeRequestOpened,
  ChangeRequestUpdated,  // new commits pushed (GitHub synchronize, GitLab update with oldrev)
  ChangeRequestEdited,   // title/base/labels changed, no new commits (baseChanged says if the base moved)
  ChangeRequestClosed,
  ChangeRequestMerged,
  ChangeRequestReopened,
  ChangeRequestReadyForReview,
  ChangeRequestConvertedToDraft,
  Push,
  Comment,          // a comment on a change request (may carry a command)
  ReviewSubmitted,  // approval or change request from a reviewer
  ReviewDismissed,
  MergeQueueEntry,    // GitHub merge_group checks_requested
  MergeQueueRemoved,  // GitHub merge_group destroyed
  RerunRequested,     // GitHub check_run / check_suite rerequested: reportId names the run, if one
  Installation,       // app installed/removed, repositories added/removed
  Ping,
  Other,  // verified but not acted on; acknowledged and counted by eventName and action
};

struct ForgeEvent {
  ForgeEventKind kind = ForgeEventKind::Ping;
  std::string deliveryId;          // the forge's delivery id, for idempotency
  std::string eventName;           // the forge's own names ("pull_request", "Merge Request Hook") ...
  std::string action;              // ... and action ("synchronize", "update"), for logs and metrics
  std::string installationId;      // GitHub: the installation the delivery is for
  ChangeRequestRef changeRequest;  // for change-request, comment and review events
  RepositoryRef repository;        // always set when the event names a repository
  // Push and merge-queue events.
  std::string ref;
  std::string beforeSha;
  std::string afterSha;
  // Comment and review events.
  std::uint64_t commentId = 0;
  std::string commentAuthor;
  std::string commentAuthorId;        // the forge's stable user id (a login can be renamed and reused)
  bool commentAuthorIsBot = false;    // GitHub user.type "Bot", GitLab/Gitea bot accounts
  std::int64_t commentCreatedAt = 0;  // Unix seconds, as the forge recorded the comment
  std::string commentBody;
  std::string reviewState;  // "approved", "changes_requested", "commented"
  std::string reviewer;
  bool baseChanged = false;  // ChangeRequestEdited: the base branch was changed
  std::string reportId;      // RerunRequested: the report (check run) to run again; empty: all of the commit
  // Installation events: repositories added to (or, with installationRemoved, taken from) it.
  std::vector<RepositoryRef> installationRepositories;
  bool installationRemoved = false;
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

// A report as the forge holds it, for finding reports again after a restart.
struct PublishedReport {
  std::string id;  // the forge's id (check-run id; a status context where statuses have no id)
  std::string name;
  CommitState state = CommitState::Pending;
  std::string externalId;
};

enum class MergeMethod { Merge, Squash, Rebase };

// What a repository's settings allow (GitHub allow_merge_commit / allow_squash_merge /
// allow_rebase_merge; the others' equivalents).
struct MergeSettings {
  bool merge = true;
  bool squash = true;
  bool rebase = true;
  bool allows(MergeMethod method) const {
    return method == MergeMethod::Merge ? merge : method == MergeMethod::Squash ? squash : rebase;
  }
};

// Reactions on a comment: Acknowledge +1 (accepted), Failure -1 (denied), Success rocket
// (merged), Confused (cancelled by drift).
enum class Reaction { Acknowledge, Success, Failure, Confused };

// Repository permission of a user, ordered from least to most.
enum class Permission { None, Read, Triage, Write, Maintain, Admin };

struct ForgeCapabilities {
  bool checkRuns = false;      // rich reports with a Markdown body (GitHub)
  bool commitStatuses = true;  // state + short description
  bool reactions = false;
  bool mergeQueue = false;
  std::size_t maxSummaryBytes = 65535;
};

// Credentials for fetching a repository with git, scoped as narrowly as the forge allows.
// Move-only: the token lives in one place and is wiped when it goes.
struct CloneCredentials {
  std::string username;  // e.g. "x-access-token" for GitHub installation tokens
  Secret password;       // a short-lived token; never logged, never in a URL on disk
};

}  // namespace ekaci::sdk
