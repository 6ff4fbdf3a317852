#include "GithubForge.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <ctime>
#include <sstream>

#include "GithubClient.h"

namespace ekaci::github {
namespace {

constexpr std::string_view kCut = "\n\n_…truncated by eka-ci to GitHub's limit_";

std::string limited(const std::string& text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t cut = max - kCut.size();
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + std::string(kCut);
}

std::string isoNow(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  if (std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) return "1970-01-01T00:00:00Z";
  return buffer;
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

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
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
                                           const std::string& method, const std::string& path,
                                           const std::string& body) {
  auto token = app.installationToken(repository);
  if (!token) return std::move(token).error();
  GithubClient client(host_);
  auto answer = client.call(method, app.apiUrl() + path, "Bearer " + std::string(token->reveal()), body);
  if (!answer && answer.error().code() == sdk::ErrorCode::ForgeAuthentication) app.forgetToken(repository);
  return answer;
}

sdk::Result<std::string> GithubForge::publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                              const sdk::StatusReport& report, const std::string& existingId) {
  auto app = appFor(repository);
  if (!app) return std::move(app).error();
  const std::string base = "/repos/" + repository.owner + "/" + repository.name + "/check-runs";
  const bool create = existingId.empty();
  const std::string body = checkRunBody(report, commitSha, create, isoNow(host_.clock().now()));
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
  std::string path = "/repos/" + repository.owner + "/" + repository.name + "/commits/" + commitSha +
                     "/check-runs?per_page=100&filter=latest";
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

}  // namespace ekaci::github
