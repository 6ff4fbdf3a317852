#include "GithubForge.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <ctime>
#include <sstream>

#include "GithubClient.h"
#include "GithubTime.h"
#include "forgekit/JsonFields.h"
#include "forgekit/ReactionNames.h"
#include "forgekit/UrlText.h"

namespace ekaci::github {
namespace {

constexpr std::string_view kCut = "\n\n_…truncated by eka-ci to GitHub's limit_";

std::string limited(const std::string& text, std::size_t max) {
  return forgekit::UrlText::cut(text, max, kCut);
}

sdk::CommitState stateOf(const std::string& status, const std::string& conclusion) {
  if (status == "queued" || status == "pending" || status == "waiting" || status == "requested") {
    return sdk::CommitState::Pending;
  }
  if (status == "in_progress") return sdk::CommitState::Running;
  if (conclusion == "success") return sdk::CommitState::Success;
  if (conclusion == "failure" || conclusion == "timed_out" || conclusion == "action_required") {
    return sdk::CommitState::Failure;
  }
  if (conclusion == "cancelled" || conclusion == "stale") return sdk::CommitState::Cancelled;
  if (conclusion == "skipped") return sdk::CommitState::Skipped;
  return sdk::CommitState::Neutral;
}

// One path segment, percent-encoded: names from webhooks never change the path's shape.
std::string segment(const std::string& text) {
  return forgekit::UrlText::segment(text);
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  return forgekit::JsonFields::stringify(object);
}

}  // namespace

GithubForge::GithubForge(std::unique_ptr<GithubWebhooks> webhooks, std::vector<std::unique_ptr<GithubApp>> apps,
                         sdk::HostServices& host)
    : webhooks_(std::move(webhooks)), apps_(std::move(apps)), host_(host) {}

sdk::ForgeCapabilities GithubForge::capabilities() const {
  sdk::ForgeCapabilities caps;
  caps.checkRuns = true;
  caps.commitStatuses = true;
  caps.reactions = true;
  caps.mergeQueue = true;
  caps.maxSummaryBytes = kMaxSummary;
  return caps;
}

std::string GithubForge::checkRunBody(const sdk::StatusReport& report, const std::string& headSha, bool create,
                                      const std::string& now) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  if (create) {
    body->set("name", report.name);
    body->set("head_sha", headSha);
  }
  switch (report.state) {
    case sdk::CommitState::Pending:
      body->set("status", "queued");
      break;
    case sdk::CommitState::Running:
      body->set("status", "in_progress");
      if (create) body->set("started_at", now);
      break;
    default: {
      body->set("status", "completed");
      const char* conclusion = "neutral";
      switch (report.state) {
        case sdk::CommitState::Success:
          conclusion = "success";
          break;
        case sdk::CommitState::Failure:
        case sdk::CommitState::Error:
          conclusion = "failure";
          break;
        case sdk::CommitState::Cancelled:
          conclusion = "cancelled";
          break;
        case sdk::CommitState::Skipped:
          conclusion = "skipped";
          break;
        default:
          break;
      }
      body->set("conclusion", conclusion);
      body->set("completed_at", now);
    }
  }
  if (!report.detailsUrl.empty()) body->set("details_url", report.detailsUrl);
  if (!report.externalId.empty()) body->set("external_id", report.externalId);
  Poco::JSON::Object::Ptr output = new Poco::JSON::Object;
  output->set("title", limited(report.title.empty() ? report.name : report.title, 1000));
  output->set("summary", limited(report.summary.empty() ? "-" : report.summary, kMaxSummary));
  body->set("output", output);
  return stringify(body);
}

sdk::Result<GithubApp*> GithubForge::appFor(const sdk::RepositoryRef& repository) {
  for (auto& app : apps_) {
    if (app->allows(repository.fullName())) return app.get();
  }
  host_.metrics()
      .counter("github_repositories_not_allowed_total", "Calls for repositories no configured app allows.", {})
      .increment();
  return sdk::Error(sdk::ErrorCode::ForgeRepositoryNotAllowed,
                    "no configured GitHub App is allowed to serve " + repository.fullName());
}

sdk::Result<std::string> GithubForge::call(GithubApp& app, const sdk::RepositoryRef& repository,
                                           const std::string& method, const std::string& path, const std::string& body,
                                           const std::map<int, sdk::ErrorCode>& meaning) {
  auto token = app.installationToken(repository);
  if (!token) return std::move(token).error();
  GithubClient client(host_);
  auto answer = client.call(method, app.apiUrl() + path, "Bearer " + std::string(token->reveal()), body, meaning);
  if (!answer && answer.error().code() == sdk::ErrorCode::ForgeAuthentication) app.forgetToken(repository);
  return answer;
}

sdk::Result<std::string> GithubForge::publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                              const sdk::StatusReport& report, const std::string& existingId) {
  auto app = appFor(repository);
  if (!app) return std::move(app).error();
  const std::string base = repoPath(repository) + "/check-runs";
  const bool create = existingId.empty();
  const std::string body = checkRunBody(report, commitSha, create, GithubTime::format(host_.clock().now()));
  auto answer = call(**app, repository, create ? "POST" : "PATCH", create ? base : base + "/" + existingId, body);
  if (!answer) return std::move(answer).error();
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*answer).extract<Poco::JSON::Object::Ptr>();
    return object->get("id").convert<std::string>();
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::ForgeApi, "GitHub's check-run answer has no id");
  }
}

sdk::Result<std::vector<sdk::PublishedReport>> GithubForge::list(const sdk::RepositoryRef& repository,
                                                                 const std::string& commitSha) {
  auto app = appFor(repository);
  if (!app) return std::move(app).error();
  std::string path = repoPath(repository) + "/commits/" + segment(commitSha) + "/check-runs?per_page=100&filter=latest";
  const std::string appId = (*app)->appId();
  if (!appId.empty()) path += "&app_id=" + appId;
  auto answer = call(**app, repository, "GET", path, "");
  if (!answer) return std::move(answer).error();
  std::vector<sdk::PublishedReport> out;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*answer).extract<Poco::JSON::Object::Ptr>();
    auto runs = object->getArray("check_runs");
    for (std::size_t i = 0; runs && i < runs->size(); ++i) {
      auto run = runs->getObject(static_cast<unsigned>(i));
      sdk::PublishedReport published;
      published.id = run->get("id").convert<std::string>();
      published.name = run->optValue<std::string>("name", "");
      const std::string status = run->optValue<std::string>("status", "");
      const std::string conclusion = run->isNull("conclusion") ? "" : run->optValue<std::string>("conclusion", "");
      published.state = stateOf(status, conclusion);
      published.externalId = run->isNull("external_id") ? "" : run->optValue<std::string>("external_id", "");
      out.push_back(std::move(published));
    }
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::ForgeApi, "GitHub's check-run list is not what the API describes");
  }
  return out;
}

sdk::Result<void> GithubForge::cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                      const sdk::PublishedReport& report) {
  sdk::StatusReport cancelled{
      report.name, sdk::CommitState::Cancelled, "Cancelled", "This run will not finish.", "", report.externalId};
  auto id = publish(repository, commitSha, cancelled, report.id);
  if (!id) return std::move(id).error();
  return sdk::success();
}

sdk::Result<sdk::CloneCredentials> GithubForge::cloneCredentials(const sdk::RepositoryRef& repository) {
  auto app = appFor(repository);
  if (!app) return std::move(app).error();
  auto token = (*app)->installationToken(repository);
  if (!token) return std::move(token).error();
  return sdk::CloneCredentials{"x-access-token", std::move(token).value()};
}

std::string GithubForge::repoPath(const sdk::RepositoryRef& repository) {
  return "/repos/" + segment(repository.owner) + "/" + segment(repository.name);
}

sdk::Result<Poco::JSON::Object::Ptr> GithubForge::callJson(const sdk::RepositoryRef& repository,
                                                           const std::string& method, const std::string& path,
                                                           const std::string& body,
                                                           const std::map<int, sdk::ErrorCode>& meaning) {
  auto app = appFor(repository);
  if (!app) return std::move(app).error();
  auto answer = call(**app, repository, method, path, body, meaning);
  if (!answer) return std::move(answer).error();
  if (answer->empty()) return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*answer).extract<Poco::JSON::Object::Ptr>();
    if (!object) throw Poco::Exception("not an object");
    return object;
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::ForgeApi, method + " " + path + ": GitHub's answer is not a JSON object");
  }
}

sdk::Result<std::uint64_t> GithubForge::create(const sdk::ChangeRequestRef& changeRequest,
                                               const std::string& markdown) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("body", limited(markdown, kMaxSummary));
  auto answer =
      callJson(changeRequest.repository, "POST",
               repoPath(changeRequest.repository) + "/issues/" + std::to_string(changeRequest.number) + "/comments",
               stringify(body));
  if (!answer) return std::move(answer).error();
  const auto id = (*answer)->optValue<std::uint64_t>("id", 0);
  if (id == 0) return sdk::Error(sdk::ErrorCode::ForgeApi, "GitHub's comment answer has no id");
  return id;
}

sdk::Result<void> GithubForge::edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                    const std::string& markdown) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("body", limited(markdown, kMaxSummary));
  auto answer =
      callJson(changeRequest.repository, "PATCH",
               repoPath(changeRequest.repository) + "/issues/comments/" + std::to_string(commentId), stringify(body));
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<void> GithubForge::react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                     sdk::Reaction reaction) {
  const std::string content = forgekit::ReactionNames::github(reaction);
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("content", content);
  auto answer =
      callJson(changeRequest.repository, "POST",
               repoPath(changeRequest.repository) + "/issues/comments/" + std::to_string(commentId) + "/reactions",
               stringify(body));
  if (!answer) return std::move(answer).error();
  return sdk::success();
}

sdk::Result<sdk::Permission> GithubForge::permissionOf(const sdk::RepositoryRef& repository, const std::string& user) {
  auto answer =
      callJson(repository, "GET", repoPath(repository) + "/collaborators/" + segment(user) + "/permission", "");
  if (!answer && answer.error().code() == sdk::ErrorCode::NotFound) return sdk::Permission::None;
  if (!answer) return std::move(answer).error();
  // role_name is the finer answer (maintain, triage); permission the classic one.
  std::string role = (*answer)->optValue<std::string>("role_name", "");
  if (role.empty()) role = (*answer)->optValue<std::string>("permission", "none");
  if (role == "admin") return sdk::Permission::Admin;
  if (role == "maintain") return sdk::Permission::Maintain;
  if (role == "write") return sdk::Permission::Write;
  if (role == "triage") return sdk::Permission::Triage;
  if (role == "read") return sdk::Permission::Read;
  return sdk::Permission::None;
}

sdk::Result<sdk::MergeSettings> GithubForge::mergeSettings(const sdk::RepositoryRef& repository) {
  auto answer = callJson(repository, "GET", repoPath(repository), "");
  if (!answer) return std::move(answer).error();
  sdk::MergeSettings settings;
  settings.merge = (*answer)->optValue<bool>("allow_merge_commit", true);
  settings.squash = (*answer)->optValue<bool>("allow_squash_merge", true);
  settings.rebase = (*answer)->optValue<bool>("allow_rebase_merge", true);
  return settings;
}

sdk::Result<std::int64_t> GithubForge::commitTime(const sdk::RepositoryRef& repository, const std::string& sha) {
  auto answer = callJson(repository, "GET", repoPath(repository) + "/commits/" + segment(sha), "");
  if (!answer) return std::move(answer).error();
  try {
    auto commit = (*answer)->getObject("commit");
    auto committer = commit ? commit->getObject("committer") : nullptr;
    if (auto at = GithubTime::parse(committer ? committer->optValue<std::string>("date", "") : "")) {
      return std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count();
    }
  } catch (const std::exception&) {
  }
  return sdk::Error(sdk::ErrorCode::ForgeApi, "GitHub's commit " + sha + " has no committer date");
}

sdk::Result<void> GithubForge::merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                                     const std::string& expectedHeadSha) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("merge_method", std::string(method == sdk::MergeMethod::Merge    ? "merge"
                                        : method == sdk::MergeMethod::Squash ? "squash"
                                                                             : "rebase"));
  body->set("sha", expectedHeadSha);
  auto answer =
      callJson(changeRequest.repository, "PUT",
               repoPath(changeRequest.repository) + "/pulls/" + std::to_string(changeRequest.number) + "/merge",
               stringify(body), {{405, sdk::ErrorCode::ForgeNotMergeable}, {409, sdk::ErrorCode::ForgeHeadChanged}});
  if (!answer) return std::move(answer).error();
  if (!(*answer)->optValue<bool>("merged", false)) {
    return sdk::Error(sdk::ErrorCode::ForgeNotMergeable,
                      "GitHub did not merge: " + (*answer)->optValue<std::string>("message", "no reason given"));
  }
  return sdk::success();
}

}  // namespace ekaci::github
