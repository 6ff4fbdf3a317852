#include "GitlabEventParser.h"

#include "forgekit/IsoTime.h"
#include "forgekit/JsonFields.h"

namespace ekaci::gitlab {
namespace {

using forgekit::JsonFields;
using Poco::JSON::Object;

sdk::RepositoryRef repositoryOf(const Object::Ptr& project, const std::string& forgeId) {
  sdk::RepositoryRef r;
  if (!project) return r;
  r.forgeId = forgeId;
  const std::string path = JsonFields::text(project, "path_with_namespace");
  if (const auto slash = path.rfind('/'); slash != std::string::npos) {
    r.owner = path.substr(0, slash);  // a namespace may itself contain '/'
    r.name = path.substr(slash + 1);
  }
  r.cloneUrl = JsonFields::text(project, "git_http_url");
  if (r.cloneUrl.empty()) r.cloneUrl = JsonFields::text(project, "http_url");
  r.defaultBranch = JsonFields::text(project, "default_branch");
  r.projectId = JsonFields::text(project, "id");
  return r;
}

// The merge request of a Merge Request Hook (object_attributes) or a Note Hook (merge_request).
sdk::ChangeRequestRef changeRequestOf(const Object::Ptr& mr, const sdk::RepositoryRef& repository,
                                      const Object::Ptr& user) {
  sdk::ChangeRequestRef cr;
  cr.repository = repository;
  if (!mr) return cr;
  cr.number = JsonFields::number(mr, "iid");
  cr.title = JsonFields::text(mr, "title");
  // The hook names the author by id only; the acting user is the author when the ids agree.
  const std::string authorId = JsonFields::text(mr, "author_id");
  if (user && !authorId.empty() && JsonFields::text(user, "id") == authorId) {
    cr.author = JsonFields::text(user, "username");
  }
  cr.draft = JsonFields::flag(mr, "draft") || JsonFields::flag(mr, "work_in_progress");
  cr.baseBranch = JsonFields::text(mr, "target_branch");
  cr.headBranch = JsonFields::text(mr, "source_branch");
  cr.headSha = JsonFields::text(JsonFields::object(mr, "last_commit"), "id");
  auto source = JsonFields::object(mr, "source");
  cr.headCloneUrl = source ? JsonFields::text(source, "git_http_url") : repository.cloneUrl;
  if (cr.headCloneUrl.empty()) cr.headCloneUrl = repository.cloneUrl;
  const std::string sourceProject = JsonFields::text(mr, "source_project_id");
  const std::string targetProject = JsonFields::text(mr, "target_project_id");
  cr.fromFork = !sourceProject.empty() && sourceProject != targetProject;
  return cr;
}

}  // namespace

sdk::Result<std::vector<sdk::ForgeEvent>> GitlabEventParser::parse(const std::string& eventName,
                                                                   const std::string& deliveryId,
                                                                   const std::string& body,
                                                                   const std::string& forgeId) {
  auto parsed = JsonFields::parseObject(body, "the " + eventName + " payload");
  if (!parsed) return std::move(parsed).error();
  const Object::Ptr root = *parsed;
  sdk::ForgeEvent e;
  e.kind = sdk::ForgeEventKind::Other;
  e.deliveryId = deliveryId;
  e.eventName = eventName;
  e.repository = repositoryOf(JsonFields::object(root, "project"), forgeId);
  auto user = JsonFields::object(root, "user");
  auto attributes = JsonFields::object(root, "object_attributes");
  e.action = JsonFields::text(attributes, "action");
  auto requireProject = [&]() -> sdk::Result<void> {
    if (e.repository.owner.empty() || e.repository.name.empty()) {
      return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the " + eventName + " payload names no project");
    }
    return sdk::success();
  };

  if (eventName == "Merge Request Hook") {
    if (!attributes) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "a merge request hook without attributes");
    if (auto ok = requireProject(); !ok) return std::move(ok).error();
    e.changeRequest = changeRequestOf(attributes, e.repository, user);
    if (e.changeRequest.number == 0 || e.changeRequest.headSha.empty()) {
      return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the merge request has no iid or last commit");
    }
    const std::string& action = e.action;
    if (action == "open") {
      e.kind = sdk::ForgeEventKind::ChangeRequestOpened;
    } else if (action == "update") {
      if (JsonFields::present(attributes, "oldrev")) {
        e.kind = sdk::ForgeEventKind::ChangeRequestUpdated;
      } else {
        e.kind = sdk::ForgeEventKind::ChangeRequestEdited;
        e.baseChanged = JsonFields::present(JsonFields::object(root, "changes"), "target_branch");
      }
    } else if (action == "reopen") {
      e.kind = sdk::ForgeEventKind::ChangeRequestReopened;
    } else if (action == "close") {
      e.kind = sdk::ForgeEventKind::ChangeRequestClosed;
    } else if (action == "merge") {
      e.kind = sdk::ForgeEventKind::ChangeRequestMerged;
    } else if (action == "approved" || action == "approval") {
      e.kind = sdk::ForgeEventKind::ReviewSubmitted;
      e.reviewState = "approved";
      e.reviewer = JsonFields::text(user, "username");
    } else if (action == "unapproved" || action == "unapproval") {
      e.kind = sdk::ForgeEventKind::ReviewDismissed;
      e.reviewer = JsonFields::text(user, "username");
    }
  } else if (eventName == "Note Hook") {
    if (!attributes) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "a note hook without attributes");
    const std::string noteAction = JsonFields::text(attributes, "action");
    const bool created = noteAction.empty() || noteAction == "create";  // an edited note is no new command
    if (created && JsonFields::text(attributes, "noteable_type") == "MergeRequest") {
      if (auto ok = requireProject(); !ok) return std::move(ok).error();
      auto mr = JsonFields::object(root, "merge_request");
      if (!mr) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "a merge request note without merge_request");
      e.kind = sdk::ForgeEventKind::Comment;
      e.changeRequest = changeRequestOf(mr, e.repository, nullptr);
      e.commentId = JsonFields::number(attributes, "id");
      e.commentAuthor = JsonFields::text(user, "username");
      e.commentAuthorId = JsonFields::text(attributes, "author_id");
      if (e.commentAuthorId.empty()) e.commentAuthorId = JsonFields::text(user, "id");
      e.commentAuthorIsBot = JsonFields::flag(user, "bot");
      e.commentBody = JsonFields::text(attributes, "note");
      if (auto at = forgekit::IsoTime::parse(JsonFields::text(attributes, "created_at"))) {
        e.commentCreatedAt = std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
      }
      if (e.changeRequest.number == 0 || e.commentId == 0) {
        return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the note has no merge request iid or id");
      }
    }
  } else if (eventName == "Push Hook") {
    if (auto ok = requireProject(); !ok) return std::move(ok).error();
    e.kind = sdk::ForgeEventKind::Push;
    e.ref = JsonFields::text(root, "ref");
    e.beforeSha = JsonFields::text(root, "before");
    e.afterSha = JsonFields::text(root, "after");
  }
  return std::vector<sdk::ForgeEvent>{std::move(e)};
}

}  // namespace ekaci::gitlab
