#include "GitlabForge.h"

#include "forgekit/IsoTime.h"
#include "forgekit/JsonFields.h"
#include "forgekit/ReactionNames.h"
#include "forgekit/UrlText.h"

namespace ekaci::gitlab {

using forgekit::JsonFields;
using forgekit::UrlText;
using Poco::JSON::Object;

GitlabForge::GitlabForge(std::unique_ptr<GitlabWebhooks> webhooks, std::string apiUrl,
                         std::unique_ptr<forgekit::AccessToken> token, bool oauth, sdk::HostServices& host)
    : webhooks_(std::move(webhooks)),
      client_(host, "GitLab", std::move(apiUrl)),
      token_(std::move(token)),
      oauth_(oauth),
      host_(host) {}

sdk::ForgeCapabilities GitlabForge::capabilities() const {
  sdk::ForgeCapabilities caps;
  caps.checkRuns = false;
  caps.commitStatuses = true;
  caps.reactions = true;
  caps.mergeQueue = false;
  caps.maxSummaryBytes = kMaxNote;
  return caps;
}

const char* GitlabForge::stateName(sdk::CommitState state) {
  switch (state) {
    case sdk::CommitState::Pending:
      return "pending";
    case sdk::CommitState::Running:
      return "running";
    case sdk::CommitState::Success:
    case sdk::CommitState::Neutral:
      return "success";
    case sdk::CommitState::Failure:
    case sdk::CommitState::Error:
      return "failed";
    case sdk::CommitState::Cancelled:
      return "canceled";
    case sdk::CommitState::Skipped:
      return "skipped";
  }
  return "failed";
}

sdk::CommitState GitlabForge::stateOf(const std::string& name) {
  if (name == "running") return sdk::CommitState::Running;
  if (name == "success") return sdk::CommitState::Success;
  if (name == "failed") return sdk::CommitState::Failure;
  if (name == "canceled" || name == "canceling") return sdk::CommitState::Cancelled;
  if (name == "skipped") return sdk::CommitState::Skipped;
  return sdk::CommitState::Pending;  // created, waiting_for_resource, preparing, pending, scheduled, manual
}

std::string GitlabForge::projectPath(const sdk::RepositoryRef& repository) {
  if (!repository.projectId.empty()) return "/projects/" + UrlText::segment(repository.projectId);
  return "/projects/" + UrlText::segment(repository.owner + "/" + repository.name);
}

sdk::Result<std::string> GitlabForge::call(const std::string& method, const std::string& path, const std::string& body,
                                           const std::map<int, sdk::ErrorCode>& meaning) {
  auto token = token_->reveal();
  if (!token) return std::move(token).error();
  sdk::HttpHeaders headers;
  if (oauth_) {
    headers.emplace_back("Authorization", "Bearer " + *token);
  } else {
    headers.emplace_back("PRIVATE-TOKEN", *token);
  }
  auto answer = client_.call(method, path, headers, body, meaning);
  host_.metrics()
      .counter("gitlab_api_calls_total", "Calls to GitLab's API, by outcome.", {{"outcome", answer ? "ok" : "error"}})
      .increment();
  return answer;
}

sdk::Result<std::string> GitlabForge::publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                              const sdk::StatusReport& report, const std::string& existingId) {
  (void)existingId;  // a status is found by its name
  const std::string state = stateName(report.state);
  const std::string key = projectPath(repository) + '\x1f' + commitSha + '\x1f' + report.name;
  {
    std::lock_guard lock(mutex_);
    if (auto it = posted_.find(key); it != posted_.end() && it->second == state) return report.name;
  }
  Object::Ptr body = new Object;
  body->set("state", state);
  body->set("name", report.name);
  body->set("description", UrlText::cut(report.title.empty() ? report.name : report.title, kMaxDescription));
  if (!report.detailsUrl.empty()) body->set("target_url", report.detailsUrl);
  auto sent =
      call("POST", projectPath(repository) + "/statuses/" + UrlText::segment(commitSha), JsonFields::stringify(body));
  if (!sent) {
    // After a restart the state it already has is not known here: GitLab refuses the same
    // state again ("Cannot transition status via :run from :running"), which is delivered.
    const bool sameState = sent.error().code() == sdk::ErrorCode::InvalidArgument &&
                           sent.error().message().find("Cannot transition status") != std::string::npos &&
                           sent.error().message().find("from :" + state) != std::string::npos;
    if (!sameState) return std::move(sent).error();
  }
  std::lock_guard lock(mutex_);
  posted_[key] = state;
  return report.name;
}

sdk::Result<std::vector<sdk::PublishedReport>> GitlabForge::list(const sdk::RepositoryRef& repository,
                                                                 const std::string& commitSha) {
  std::vector<sdk::PublishedReport> out;
  constexpr int kPage = 100;
  for (int page = 1; page <= 100; ++page) {
    auto answer = call("GET", projectPath(repository) + "/repository/commits/" + UrlText::segment(commitSha) +
                                  "/statuses?per_page=" + std::to_string(kPage) + "&page=" + std::to_string(page));
    if (!answer) return std::move(answer).error();
    auto statuses = JsonFields::parseArray(*answer, "GitLab's statuses");
    if (!statuses) return std::move(statuses).error();
    for (std::size_t i = 0; i < (*statuses)->size(); ++i) {
      Object::Ptr status = (*statuses)->getObject(static_cast<unsigned>(i));
      const std::string name = JsonFields::text(status, "name");
      out.push_back({name, name, stateOf(JsonFields::text(status, "status")), ""});
    }
    if ((*statuses)->size() < static_cast<std::size_t>(kPage)) break;
  }
  return out;
}

sdk::Result<void> GitlabForge::cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                      const sdk::PublishedReport& report) {
  sdk::StatusReport cancelled;
  cancelled.name = report.name;
  cancelled.state = sdk::CommitState::Cancelled;
  cancelled.title = "Cancelled";
  auto sent = publish(repository, commitSha, cancelled, report.id);
  if (!sent) return std::move(sent).error();
  return sdk::success();
}

sdk::Result<std::uint64_t> GitlabForge::create(const sdk::ChangeRequestRef& changeRequest,
                                               const std::string& markdown) {
  Object::Ptr body = new Object;
  body->set("body", UrlText::cut(markdown, kMaxNote));
  auto answer =
      call("POST",
           projectPath(changeRequest.repository) + "/merge_requests/" + std::to_string(changeRequest.number) + "/notes",
           JsonFields::stringify(body));
  if (!answer) return std::move(answer).error();
  auto note = JsonFields::parseObject(*answer, "GitLab's note", sdk::ErrorCode::ForgeApi);
  if (!note) return std::move(note).error();
  const std::uint64_t id = JsonFields::number(*note, "id");
  if (id == 0) return sdk::Error(sdk::ErrorCode::ForgeApi, "GitLab's note has no id");
  return id;
}

sdk::Result<void> GitlabForge::edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                    const std::string& markdown) {
  Object::Ptr body = new Object;
  body->set("body", UrlText::cut(markdown, kMaxNote));
  auto answer = call("PUT",
                     projectPath(changeRequest.repository) + "/merge_requests/" + std::to_string(changeRequest.number) +
                         "/notes/" + std::to_string(commentId),
                     JsonFields::stringify(body));
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<void> GitlabForge::react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                     sdk::Reaction reaction) {
  const std::string name = forgekit::ReactionNames::gitlab(reaction);
  Object::Ptr body = new Object;
  body->set("name", name);
  auto answer = call("POST",
                     projectPath(changeRequest.repository) + "/merge_requests/" + std::to_string(changeRequest.number) +
                         "/notes/" + std::to_string(commentId) + "/award_emoji",
                     JsonFields::stringify(body));
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<sdk::Permission> GitlabForge::permissionOf(const sdk::RepositoryRef& repository, const std::string& user) {
  // Members including those inherited from groups, filtered by GitLab; the match must be exact.
  auto answer = call("GET", projectPath(repository) + "/members/all?query=" + UrlText::segment(user) + "&per_page=100");
  if (!answer) return std::move(answer).error();
  auto members = JsonFields::parseArray(*answer, "GitLab's members");
  if (!members) return std::move(members).error();
  std::uint64_t level = 0;
  for (std::size_t i = 0; i < (*members)->size(); ++i) {
    Object::Ptr member = (*members)->getObject(static_cast<unsigned>(i));
    if (JsonFields::text(member, "username") == user)
      level = std::max(level, JsonFields::number(member, "access_level"));
  }
  if (level >= 50) return sdk::Permission::Admin;     // owner
  if (level >= 40) return sdk::Permission::Maintain;  // maintainer
  if (level >= 30) return sdk::Permission::Write;     // developer
  if (level >= 20) return sdk::Permission::Triage;    // reporter
  if (level >= 10) return sdk::Permission::Read;      // guest
  return sdk::Permission::None;
}

sdk::Result<sdk::MergeSettings> GitlabForge::mergeSettings(const sdk::RepositoryRef& repository) {
  auto answer = call("GET", projectPath(repository));
  if (!answer) return std::move(answer).error();
  auto project = JsonFields::parseObject(*answer, "GitLab's project", sdk::ErrorCode::ForgeApi);
  if (!project) return std::move(project).error();
  const std::string method = JsonFields::text(*project, "merge_method");
  const std::string squash = JsonFields::text(*project, "squash_option");
  sdk::MergeSettings settings;
  settings.merge = (method.empty() || method == "merge") && squash != "always";
  settings.rebase = (method == "rebase_merge" || method == "ff") && squash != "always";
  settings.squash = squash != "never";
  return settings;
}

sdk::Result<std::int64_t> GitlabForge::commitTime(const sdk::RepositoryRef& repository, const std::string& sha) {
  auto answer = call("GET", projectPath(repository) + "/repository/commits/" + UrlText::segment(sha));
  if (!answer) return std::move(answer).error();
  auto commit = JsonFields::parseObject(*answer, "GitLab's commit", sdk::ErrorCode::ForgeApi);
  if (!commit) return std::move(commit).error();
  auto at = forgekit::IsoTime::parse(JsonFields::text(*commit, "committed_date"));
  if (!at) return sdk::Error(sdk::ErrorCode::ForgeApi, "GitLab's commit " + sha + " has no committed_date");
  return std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
}

sdk::Result<void> GitlabForge::merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                                     const std::string& expectedHeadSha) {
  Object::Ptr body = new Object;
  body->set("sha", expectedHeadSha);
  body->set("squash", method == sdk::MergeMethod::Squash);
  auto answer =
      call("PUT",
           projectPath(changeRequest.repository) + "/merge_requests/" + std::to_string(changeRequest.number) + "/merge",
           JsonFields::stringify(body),
           {{405, sdk::ErrorCode::ForgeNotMergeable},
            {406, sdk::ErrorCode::ForgeNotMergeable},
            {422, sdk::ErrorCode::ForgeNotMergeable},
            {409, sdk::ErrorCode::ForgeHeadChanged}});
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<sdk::CloneCredentials> GitlabForge::cloneCredentials(const sdk::RepositoryRef& repository) {
  (void)repository;  // one token serves every repository of the instance
  return token_->cloneCredentials();
}

}  // namespace ekaci::gitlab
