#include "GiteaEventParser.h"

#include "forgekit/IsoTime.h"
#include "forgekit/JsonFields.h"

namespace ekaci::gitea {
namespace {

using forgekit::JsonFields;
using Poco::JSON::Object;

sdk::RepositoryRef repositoryOf(const Object::Ptr& repo, const std::string& forgeId) {
  sdk::RepositoryRef r;
  if (!repo) return r;
  r.forgeId = forgeId;
  auto owner = JsonFields::object(repo, "owner");
  r.owner = JsonFields::text(owner, "login");
  if (r.owner.empty()) r.owner = JsonFields::text(owner, "username");
  r.name = JsonFields::text(repo, "name");
  const std::string full = JsonFields::text(repo, "full_name");
  if (const auto slash = full.find('/'); (r.owner.empty() || r.name.empty()) && slash != std::string::npos) {
    r.owner = full.substr(0, slash);
    r.name = full.substr(slash + 1);
  }
  r.cloneUrl = JsonFields::text(repo, "clone_url");
  r.defaultBranch = JsonFields::text(repo, "default_branch");
  r.projectId = JsonFields::text(repo, "id");
  return r;
}

sdk::ChangeRequestRef changeRequestOf(const Object::Ptr& pr, const sdk::RepositoryRef& repository) {
  sdk::ChangeRequestRef cr;
  cr.repository = repository;
  if (!pr) return cr;
  cr.number = JsonFields::number(pr, "number");
  cr.title = JsonFields::text(pr, "title");
  cr.author = JsonFields::text(JsonFields::object(pr, "user"), "login");
  cr.draft = JsonFields::flag(pr, "draft");
  auto base = JsonFields::object(pr, "base");
  auto head = JsonFields::object(pr, "head");
  cr.baseBranch = JsonFields::text(base, "ref");
  cr.baseSha = JsonFields::text(base, "sha");
  cr.headBranch = JsonFields::text(head, "ref");
  cr.headSha = JsonFields::text(head, "sha");
  auto headRepo = JsonFields::object(head, "repo");
  auto baseRepo = JsonFields::object(base, "repo");
  const std::string headName = JsonFields::text(headRepo, "full_name");
  const std::string baseName = baseRepo ? JsonFields::text(baseRepo, "full_name") : repository.fullName();
  // A deleted fork leaves no head repository; Gitea keeps its commits in refs/pull/N/head.
  cr.headCloneUrl = headRepo ? JsonFields::text(headRepo, "clone_url") : repository.cloneUrl;
  cr.fromFork = !headRepo || headName != baseName;
  return cr;
}

bool oneOf(const std::string& name, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (name == n) return true;
  }
  return false;
}

}  // namespace

sdk::Result<std::vector<sdk::ForgeEvent>> GiteaEventParser::parse(const std::string& eventType,
                                                                  const std::string& deliveryId,
                                                                  const std::string& body, const std::string& forgeId) {
  auto parsed = JsonFields::parseObject(body, "the " + eventType + " payload");
  if (!parsed) return std::move(parsed).error();
  const Object::Ptr root = *parsed;
  sdk::ForgeEvent e;
  e.kind = sdk::ForgeEventKind::Other;
  e.deliveryId = deliveryId;
  e.eventName = eventType;
  e.action = JsonFields::text(root, "action");
  e.repository = repositoryOf(JsonFields::object(root, "repository"), forgeId);
  const std::string& action = e.action;
  auto requireRepository = [&]() -> sdk::Result<void> {
    if (e.repository.owner.empty() || e.repository.name.empty()) {
      return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the " + eventType + " payload names no repository");
    }
    return sdk::success();
  };

  if (oneOf(eventType, {"pull_request", "pull_request_sync"})) {
    auto pr = JsonFields::object(root, "pull_request");
    if (!pr) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "a pull_request payload without pull_request");
    if (auto ok = requireRepository(); !ok) return std::move(ok).error();
    e.changeRequest = changeRequestOf(pr, e.repository);
    if (e.changeRequest.number == 0) e.changeRequest.number = JsonFields::number(root, "number");
    if (e.changeRequest.number == 0 || e.changeRequest.headSha.empty()) {
      return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the pull request has no number or head commit");
    }
    if (action == "opened") {
      e.kind = sdk::ForgeEventKind::ChangeRequestOpened;
    } else if (action == "synchronized") {
      e.kind = sdk::ForgeEventKind::ChangeRequestUpdated;
    } else if (action == "reopened") {
      e.kind = sdk::ForgeEventKind::ChangeRequestReopened;
    } else if (action == "closed") {
      e.kind = JsonFields::flag(pr, "merged") ? sdk::ForgeEventKind::ChangeRequestMerged
                                              : sdk::ForgeEventKind::ChangeRequestClosed;
    } else if (action == "edited") {
      e.kind = sdk::ForgeEventKind::ChangeRequestEdited;
      e.baseChanged = JsonFields::present(JsonFields::object(root, "changes"), "ref");
    }
  } else if (oneOf(eventType, {"issue_comment", "pull_request_comment"})) {
    auto issue = JsonFields::object(root, "issue");
    auto comment = JsonFields::object(root, "comment");
    const bool onPullRequest = JsonFields::flag(root, "is_pull") || JsonFields::present(issue, "pull_request");
    if (onPullRequest && action == "created") {
      if (!issue || !comment) {
        return sdk::Error(sdk::ErrorCode::WebhookMalformed, "an issue_comment payload without issue or comment");
      }
      if (auto ok = requireRepository(); !ok) return std::move(ok).error();
      e.kind = sdk::ForgeEventKind::Comment;
      e.changeRequest.repository = e.repository;
      e.changeRequest.number = JsonFields::number(issue, "number");
      e.changeRequest.title = JsonFields::text(issue, "title");
      e.changeRequest.author = JsonFields::text(JsonFields::object(issue, "user"), "login");
      auto user = JsonFields::object(comment, "user");
      e.commentId = JsonFields::number(comment, "id");
      e.commentAuthor = JsonFields::text(user, "login");
      e.commentAuthorId = JsonFields::text(user, "id");
      e.commentBody = JsonFields::text(comment, "body");
      if (auto at = forgekit::IsoTime::parse(JsonFields::text(comment, "created_at"))) {
        e.commentCreatedAt = std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
      }
      if (e.changeRequest.number == 0 || e.commentId == 0) {
        return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the comment has no pull request number or id");
      }
    }
  } else if (oneOf(eventType, {"pull_request_review_approved", "pull_request_approved", "pull_request_review_rejected",
                               "pull_request_rejected"})) {
    auto pr = JsonFields::object(root, "pull_request");
    if (!pr) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "a review payload without pull_request");
    if (auto ok = requireRepository(); !ok) return std::move(ok).error();
    e.kind = sdk::ForgeEventKind::ReviewSubmitted;
    e.changeRequest = changeRequestOf(pr, e.repository);
    const bool approved = eventType.find("approved") != std::string::npos;
    e.reviewState = approved ? "approved" : "changes_requested";
    e.reviewer = JsonFields::text(JsonFields::object(root, "sender"), "login");
  } else if (eventType == "push") {
    if (auto ok = requireRepository(); !ok) return std::move(ok).error();
    e.kind = sdk::ForgeEventKind::Push;
    e.ref = JsonFields::text(root, "ref");
    e.beforeSha = JsonFields::text(root, "before");
    e.afterSha = JsonFields::text(root, "after");
  }
  return std::vector<sdk::ForgeEvent>{std::move(e)};
}

}  // namespace ekaci::gitea
