#include "GiteaForge.h"

#include <map>

#include "forgekit/IsoTime.h"
#include "forgekit/JsonFields.h"
#include "forgekit/ReactionNames.h"
#include "forgekit/UrlText.h"

namespace ekaci::gitea {

using forgekit::JsonFields;
using forgekit::UrlText;
using Poco::JSON::Object;

GiteaForge::GiteaForge(std::unique_ptr<GiteaWebhooks> webhooks, std::string apiUrl,
                       std::unique_ptr<forgekit::AccessToken> token, sdk::HostServices& host)
    : webhooks_(std::move(webhooks)),
      client_(host, "Gitea", std::move(apiUrl)),
      token_(std::move(token)),
      host_(host) {}

sdk::ForgeCapabilities GiteaForge::capabilities() const {
  sdk::ForgeCapabilities caps;
  caps.checkRuns = false;
  caps.commitStatuses = true;
  caps.reactions = true;
  caps.mergeQueue = false;
  caps.maxSummaryBytes = kMaxComment;
  return caps;
}

const char* GiteaForge::stateName(sdk::CommitState state) {
  switch (state) {
    case sdk::CommitState::Pending:
    case sdk::CommitState::Running:
      return "pending";
    case sdk::CommitState::Success:
    case sdk::CommitState::Neutral:
      return "success";
    case sdk::CommitState::Failure:
      return "failure";
    case sdk::CommitState::Error:
      return "error";
    case sdk::CommitState::Cancelled:
    case sdk::CommitState::Skipped:
      return "warning";
  }
  return "error";
}

sdk::CommitState GiteaForge::stateOf(const std::string& name) {
  if (name == "pending") return sdk::CommitState::Pending;
  if (name == "success") return sdk::CommitState::Success;
  if (name == "failure") return sdk::CommitState::Failure;
  if (name == "warning") return sdk::CommitState::Neutral;
  return sdk::CommitState::Error;
}

std::string GiteaForge::repoPath(const sdk::RepositoryRef& repository) {
  return "/repos/" + UrlText::segment(repository.owner) + "/" + UrlText::segment(repository.name);
}

sdk::Result<std::string> GiteaForge::call(const std::string& method, const std::string& path, const std::string& body,
                                          const std::map<int, sdk::ErrorCode>& meaning) {
  auto token = token_->reveal();
  if (!token) return std::move(token).error();
  auto answer = client_.call(method, path, {{"Authorization", "token " + *token}}, body, meaning);
  host_.metrics()
      .counter("gitea_api_calls_total", "Calls to Gitea's API, by outcome.", {{"outcome", answer ? "ok" : "error"}})
      .increment();
  return answer;
}

sdk::Result<std::string> GiteaForge::publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                             const sdk::StatusReport& report, const std::string& existingId) {
  (void)existingId;  // a status is updated by posting its context again
  Object::Ptr body = new Object;
  body->set("context", report.name);
  body->set("state", std::string(stateName(report.state)));
  body->set("description", UrlText::cut(report.title.empty() ? report.name : report.title, kMaxDescription));
  if (!report.detailsUrl.empty()) body->set("target_url", report.detailsUrl);
  auto sent =
      call("POST", repoPath(repository) + "/statuses/" + UrlText::segment(commitSha), JsonFields::stringify(body));
  if (!sent) return std::move(sent).error();
  return report.name;
}

sdk::Result<std::vector<sdk::PublishedReport>> GiteaForge::list(const sdk::RepositoryRef& repository,
                                                                const std::string& commitSha) {
  // Every status ever posted, newest first per context by id; the latest is the state.
  std::map<std::string, std::pair<std::uint64_t, std::string>> latest;
  constexpr int kPage = 50;
  for (int page = 1; page <= 100; ++page) {
    auto answer = call("GET", repoPath(repository) + "/statuses/" + UrlText::segment(commitSha) +
                                  "?page=" + std::to_string(page) + "&limit=" + std::to_string(kPage));
    if (!answer) return std::move(answer).error();
    auto statuses = JsonFields::parseArray(*answer, "Gitea's statuses");
    if (!statuses) return std::move(statuses).error();
    for (std::size_t i = 0; i < (*statuses)->size(); ++i) {
      Object::Ptr status = (*statuses)->getObject(static_cast<unsigned>(i));
      const std::string context = JsonFields::text(status, "context");
      const std::uint64_t id = JsonFields::number(status, "id");
      std::string state = JsonFields::text(status, "status");
      if (state.empty()) state = JsonFields::text(status, "state");
      auto& slot = latest[context];
      if (slot.second.empty() || id >= slot.first) slot = {id, state};
    }
    if ((*statuses)->size() < static_cast<std::size_t>(kPage)) break;
  }
  std::vector<sdk::PublishedReport> out;
  for (const auto& [context, status] : latest) out.push_back({context, context, stateOf(status.second), ""});
  return out;
}

sdk::Result<void> GiteaForge::cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                     const sdk::PublishedReport& report) {
  sdk::StatusReport cancelled;
  cancelled.name = report.name;
  cancelled.state = sdk::CommitState::Cancelled;
  cancelled.title = "Cancelled";
  auto sent = publish(repository, commitSha, cancelled, report.id);
  if (!sent) return std::move(sent).error();
  return sdk::success();
}

sdk::Result<std::uint64_t> GiteaForge::create(const sdk::ChangeRequestRef& changeRequest, const std::string& markdown) {
  Object::Ptr body = new Object;
  body->set("body", UrlText::cut(markdown, kMaxComment));
  auto answer =
      call("POST", repoPath(changeRequest.repository) + "/issues/" + std::to_string(changeRequest.number) + "/comments",
           JsonFields::stringify(body));
  if (!answer) return std::move(answer).error();
  auto comment = JsonFields::parseObject(*answer, "Gitea's comment", sdk::ErrorCode::ForgeApi);
  if (!comment) return std::move(comment).error();
  const std::uint64_t id = JsonFields::number(*comment, "id");
  if (id == 0) return sdk::Error(sdk::ErrorCode::ForgeApi, "Gitea's comment has no id");
  return id;
}

sdk::Result<void> GiteaForge::edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                   const std::string& markdown) {
  Object::Ptr body = new Object;
  body->set("body", UrlText::cut(markdown, kMaxComment));
  auto answer = call("PATCH", repoPath(changeRequest.repository) + "/issues/comments/" + std::to_string(commentId),
                     JsonFields::stringify(body));
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<void> GiteaForge::react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                    sdk::Reaction reaction) {
  const std::string content = forgekit::ReactionNames::github(reaction);  // Gitea uses GitHub's names
  Object::Ptr body = new Object;
  body->set("content", content);
  auto answer =
      call("POST", repoPath(changeRequest.repository) + "/issues/comments/" + std::to_string(commentId) + "/reactions",
           JsonFields::stringify(body));
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<sdk::Permission> GiteaForge::permissionOf(const sdk::RepositoryRef& repository, const std::string& user) {
  auto answer = call("GET", repoPath(repository) + "/collaborators/" + UrlText::segment(user) + "/permission");
  if (!answer) {
    if (answer.error().code() == sdk::ErrorCode::NotFound) return sdk::Permission::None;
    return std::move(answer).error();
  }
  auto object = JsonFields::parseObject(*answer, "Gitea's permission", sdk::ErrorCode::ForgeApi);
  if (!object) return std::move(object).error();
  const std::string permission = JsonFields::text(*object, "permission");
  if (permission == "owner" || permission == "admin") return sdk::Permission::Admin;
  if (permission == "write") return sdk::Permission::Write;
  if (permission == "read") return sdk::Permission::Read;
  return sdk::Permission::None;
}

sdk::Result<sdk::MergeSettings> GiteaForge::mergeSettings(const sdk::RepositoryRef& repository) {
  auto answer = call("GET", repoPath(repository));
  if (!answer) return std::move(answer).error();
  auto repo = JsonFields::parseObject(*answer, "Gitea's repository", sdk::ErrorCode::ForgeApi);
  if (!repo) return std::move(repo).error();
  sdk::MergeSettings settings;
  settings.merge = JsonFields::flag(*repo, "allow_merge_commits");
  settings.squash = JsonFields::flag(*repo, "allow_squash_merge");
  settings.rebase = JsonFields::flag(*repo, "allow_rebase") || JsonFields::flag(*repo, "allow_rebase_explicit");
  return settings;
}

sdk::Result<std::int64_t> GiteaForge::commitTime(const sdk::RepositoryRef& repository, const std::string& sha) {
  auto answer = call("GET", repoPath(repository) + "/git/commits/" + UrlText::segment(sha));
  if (!answer) return std::move(answer).error();
  auto commit = JsonFields::parseObject(*answer, "Gitea's commit", sdk::ErrorCode::ForgeApi);
  if (!commit) return std::move(commit).error();
  const std::string date =
      JsonFields::text(JsonFields::object(JsonFields::object(*commit, "commit"), "committer"), "date");
  auto at = forgekit::IsoTime::parse(date);
  if (!at) return sdk::Error(sdk::ErrorCode::ForgeApi, "Gitea's commit " + sha + " has no committer date");
  return std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
}

sdk::Result<void> GiteaForge::merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                                    const std::string& expectedHeadSha) {
  Object::Ptr body = new Object;
  body->set("Do", std::string(method == sdk::MergeMethod::Merge    ? "merge"
                              : method == sdk::MergeMethod::Squash ? "squash"
                                                                   : "rebase"));
  body->set("head_commit_id", expectedHeadSha);
  auto answer =
      call("POST", repoPath(changeRequest.repository) + "/pulls/" + std::to_string(changeRequest.number) + "/merge",
           JsonFields::stringify(body),
           {{405, sdk::ErrorCode::ForgeNotMergeable},
            {409, sdk::ErrorCode::ForgeHeadChanged},
            {423, sdk::ErrorCode::ForgeNotMergeable}});
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<sdk::CloneCredentials> GiteaForge::cloneCredentials(const sdk::RepositoryRef& repository) {
  (void)repository;  // one token serves every repository of the instance
  return token_->cloneCredentials();
}

}  // namespace ekaci::gitea
