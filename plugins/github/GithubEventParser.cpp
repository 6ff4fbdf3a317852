#include "GithubEventParser.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "GithubTime.h"

namespace ekaci::github {
namespace {

using Poco::JSON::Object;

std::string text(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return {};
  Poco::Dynamic::Var v = o->get(key);
  return v.isString() ? v.extract<std::string>() : v.convert<std::string>();
}

std::uint64_t number(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return 0;
  try {
    return o->getValue<std::uint64_t>(key);
  } catch (const Poco::Exception&) {
    return 0;
  }
}

bool flag(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return false;
  try {
    return o->getValue<bool>(key);
  } catch (const Poco::Exception&) {
    return false;
  }
}

Object::Ptr object(const Object::Ptr& o, const std::string& key) {
  if (!o || !o->has(key) || o->isNull(key)) return nullptr;
  return o->getObject(key);
}

sdk::RepositoryRef repositoryOf(const Object::Ptr& repo, const std::string& forgeId, const std::string& installation) {
  sdk::RepositoryRef r;
  if (!repo) return r;
  r.forgeId = forgeId;
  r.owner = text(object(repo, "owner"), "login");
  r.name = text(repo, "name");
  if (r.owner.empty()) {
    const std::string full = text(repo, "full_name");
    if (const auto slash = full.find('/'); slash != std::string::npos) {
      r.owner = full.substr(0, slash);
      if (r.name.empty()) r.name = full.substr(slash + 1);
    }
  }
  r.cloneUrl = text(repo, "clone_url");
  r.defaultBranch = text(repo, "default_branch");
  r.projectId = text(repo, "id");
  r.installationId = installation;
  return r;
}

sdk::ChangeRequestRef changeRequestOf(const Object::Ptr& pr, const sdk::RepositoryRef& repository,
                                      const std::string& forgeId) {
  sdk::ChangeRequestRef cr;
  cr.repository = repository;
  if (!pr) return cr;
  cr.number = number(pr, "number");
  cr.title = text(pr, "title");
  cr.author = text(object(pr, "user"), "login");
  cr.draft = flag(pr, "draft");
  auto base = object(pr, "base");
  auto head = object(pr, "head");
  cr.baseBranch = text(base, "ref");
  cr.baseSha = text(base, "sha");
  cr.headBranch = text(head, "ref");
  cr.headSha = text(head, "sha");
  auto headRepo = object(head, "repo");
  auto baseRepo = object(base, "repo");
  // The head repository of a deleted fork is null; its commits are still in the base
  // repository's refs/pull/N/head.
  cr.headCloneUrl = headRepo ? text(headRepo, "clone_url") : repository.cloneUrl;
  const std::string headName = text(headRepo, "full_name");
  const std::string baseName = baseRepo ? text(baseRepo, "full_name") : repository.fullName();
  cr.fromFork = !headRepo || headName != baseName;
  (void)forgeId;
  return cr;
}

}  // namespace

sdk::Result<std::vector<sdk::ForgeEvent>> GithubEventParser::parse(const std::string& eventName,
                                                                   const std::string& deliveryId,
                                                                   const std::string& body,
                                                                   const std::string& forgeId) {
  Object::Ptr root;
  try {
    Poco::JSON::Parser parser;
    root = parser.parse(body).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::WebhookMalformed,
                      "the " + eventName + " payload is not JSON: " + e.displayText());
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the " + eventName + " payload is not a JSON object");
  }
  if (!root) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the " + eventName + " payload is not an object");

  try {
    sdk::ForgeEvent e;
    e.kind = sdk::ForgeEventKind::Other;
    e.deliveryId = deliveryId;
    e.eventName = eventName;
    e.action = text(root, "action");
    e.installationId = text(object(root, "installation"), "id");
    e.repository = repositoryOf(object(root, "repository"), forgeId, e.installationId);
    const std::string& action = e.action;

    if (eventName == "ping") {
      e.kind = sdk::ForgeEventKind::Ping;
    } else if (eventName == "pull_request") {
      auto pr = object(root, "pull_request");
      if (!pr) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "pull_request event without pull_request");
      e.changeRequest = changeRequestOf(pr, e.repository, forgeId);
      if (action == "opened") {
        e.kind = sdk::ForgeEventKind::ChangeRequestOpened;
      } else if (action == "synchronize") {
        e.kind = sdk::ForgeEventKind::ChangeRequestUpdated;
        e.beforeSha = text(root, "before");
        e.afterSha = text(root, "after");
      } else if (action == "reopened") {
        e.kind = sdk::ForgeEventKind::ChangeRequestReopened;
      } else if (action == "closed") {
        e.kind =
            flag(pr, "merged") ? sdk::ForgeEventKind::ChangeRequestMerged : sdk::ForgeEventKind::ChangeRequestClosed;
      } else if (action == "edited") {
        e.kind = sdk::ForgeEventKind::ChangeRequestEdited;
        e.baseChanged = object(object(root, "changes"), "base") != nullptr;
      } else if (action == "ready_for_review") {
        e.kind = sdk::ForgeEventKind::ChangeRequestReadyForReview;
      } else if (action == "converted_to_draft") {
        e.kind = sdk::ForgeEventKind::ChangeRequestConvertedToDraft;
      }
      const bool reviewable = e.kind == sdk::ForgeEventKind::ChangeRequestOpened ||
                              e.kind == sdk::ForgeEventKind::ChangeRequestUpdated ||
                              e.kind == sdk::ForgeEventKind::ChangeRequestReopened ||
                              e.kind == sdk::ForgeEventKind::ChangeRequestReadyForReview;
      if (reviewable && (e.changeRequest.number == 0 || e.changeRequest.headSha.empty() || e.repository.name.empty())) {
        return sdk::Error(sdk::ErrorCode::WebhookMalformed,
                          "the pull request names no number, head commit or repository");
      }
    } else if (eventName == "pull_request_review") {
      e.changeRequest = changeRequestOf(object(root, "pull_request"), e.repository, forgeId);
      auto review = object(root, "review");
      e.reviewer = text(object(review, "user"), "login");
      e.reviewState = text(review, "state");
      for (auto& c : e.reviewState) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (action == "submitted") e.kind = sdk::ForgeEventKind::ReviewSubmitted;
      if (action == "dismissed") e.kind = sdk::ForgeEventKind::ReviewDismissed;
    } else if (eventName == "issue_comment") {
      auto issue = object(root, "issue");
      auto comment = object(root, "comment");
      if (issue && object(issue, "pull_request") && action == "created") {
        e.kind = sdk::ForgeEventKind::Comment;
        e.changeRequest.repository = e.repository;
        e.changeRequest.number = number(issue, "number");
        e.changeRequest.title = text(issue, "title");
        e.changeRequest.author = text(object(issue, "user"), "login");
        e.commentId = number(comment, "id");
        auto user = object(comment, "user");
        e.commentAuthor = text(user, "login");
        e.commentAuthorId = text(user, "id");
        e.commentAuthorIsBot = text(user, "type") == "Bot";
        if (auto created = GithubTime::parse(text(comment, "created_at"))) {
          e.commentCreatedAt = std::chrono::duration_cast<std::chrono::seconds>(created->time_since_epoch()).count();
        }
        e.commentBody = text(comment, "body");
        if (e.changeRequest.number == 0 || e.commentId == 0) {
          return sdk::Error(sdk::ErrorCode::WebhookMalformed, "the comment has no pull request number or id");
        }
      }
    } else if (eventName == "merge_group") {
      auto group = object(root, "merge_group");
      e.ref = text(group, "head_ref");
      e.afterSha = text(group, "head_sha");
      e.beforeSha = text(group, "base_sha");
      if (action == "checks_requested") e.kind = sdk::ForgeEventKind::MergeQueueEntry;
      if (action == "destroyed") e.kind = sdk::ForgeEventKind::MergeQueueRemoved;
    } else if (eventName == "installation" || eventName == "installation_repositories") {
      e.kind = sdk::ForgeEventKind::Installation;
      e.installationRemoved = action == "deleted" || action == "removed" || action == "suspend";
      for (const char* key : {"repositories", "repositories_added", "repositories_removed"}) {
        if (!root->has(key) || root->isNull(key)) continue;
        auto list = root->getArray(key);
        for (std::size_t i = 0; list && i < list->size(); ++i) {
          e.installationRepositories.push_back(
              repositoryOf(list->getObject(static_cast<unsigned>(i)), forgeId, e.installationId));
        }
      }
    } else if ((eventName == "check_run" || eventName == "check_suite") && action == "rerequested") {
      auto run = object(root, eventName);
      e.kind = sdk::ForgeEventKind::RerunRequested;
      if (eventName == "check_run") e.reportId = text(run, "id");
      e.afterSha = text(run, "head_sha");
      e.changeRequest.repository = e.repository;
      e.changeRequest.headSha = e.afterSha;
      if (run && run->has("pull_requests") && !run->isNull("pull_requests")) {
        auto prs = run->getArray("pull_requests");
        if (prs && prs->size() > 0) e.changeRequest.number = number(prs->getObject(0), "number");
      }
    } else if (eventName == "push") {
      e.kind = sdk::ForgeEventKind::Push;
      e.ref = text(root, "ref");
      e.beforeSha = text(root, "before");
      e.afterSha = text(root, "after");
    }
    return std::vector<sdk::ForgeEvent>{std::move(e)};
  } catch (const Poco::Exception& ex) {
    return sdk::Error(sdk::ErrorCode::WebhookMalformed,
                      "the " + eventName + " payload is malformed: " + ex.displayText());
  }
}

}  // namespace ekaci::github
