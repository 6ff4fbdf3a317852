// The GitHub plugin against a local GitHub: the app JWT, installation tokens, check runs
// created, updated, listed and cancelled — each request checked against GitHub's published
// REST description — and GitHub's errors turned into retry advice.
#include <gtest/gtest.h>

#include "GithubClient.h"
#include "GithubForge.h"
#include "ekaci/sdk/testing/FakeHostServices.h"
#include "tests/support/FakeGithub.h"
#include "tests/support/GithubTestKit.h"
#include "tests/support/LiveHostServices.h"
#include "tests/support/OpenApiValidator.h"

namespace ekaci::github {
namespace {

using testsupport::FakeGithub;
using testsupport::GithubTestKit;

using LiveHost = testsupport::LiveHostServices;

const testsupport::OpenApiValidator& openApi() {
  static auto* validator = testsupport::OpenApiValidator::load(GithubTestKit::openApiPath()).release();
  if (validator == nullptr) {
    ADD_FAILURE() << "GitHub's REST description is missing; run scripts/setup (" << GithubTestKit::openApiPath() << ")";
    std::abort();
  }
  return *validator;
}

class GithubForgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = GithubTestKit::generateKey();
    github_ = std::make_unique<FakeGithub>("4242", key_.publicPem, 77);
    host_.fakeSecrets().provide("env", {{"GITHUB_APP_ID", "4242"}, {"GITHUB_APP_PRIVATE_KEY", key_.privatePem}});
    forge_ = make(true, {});
    repo_.forgeId = "github";
    repo_.owner = "octo";
    repo_.name = "pkgs";
  }
  std::unique_ptr<GithubForge> make(bool allowAll, std::vector<std::string> repos) {
    GithubApp::Settings app;
    app.id = "main";
    app.apiUrl = github_->apiUrl();
    sdk::Value credentials = sdk::Value::table();
    credentials.set("env", sdk::Value::table());
    app.credentials = credentials;
    app.allowAll = allowAll;
    app.allowedRepos = std::move(repos);
    std::vector<std::unique_ptr<GithubApp>> apps;
    apps.push_back(std::make_unique<GithubApp>(std::move(app), host_));
    return std::make_unique<GithubForge>(std::make_unique<GithubWebhooks>(sdk::Secret("k"), false, "github"),
                                         std::move(apps), host_);
  }
  void expectEveryRequestDocumented() {
    for (const auto& request : github_->requests()) {
      auto problems = openApi().check(request.method, request.target, request.body);
      EXPECT_TRUE(problems.empty()) << request.method << " " << request.target << ": " << problems.front();
    }
  }
  std::size_t count(const std::string& method, const std::string& pathPart) {
    std::size_t n = 0;
    for (const auto& r : github_->requests()) n += r.method == method && r.target.find(pathPart) != std::string::npos;
    return n;
  }

  GithubTestKit::KeyPair key_;
  std::unique_ptr<FakeGithub> github_;
  LiveHost host_;
  std::unique_ptr<GithubForge> forge_;
  sdk::RepositoryRef repo_;
  const std::string sha_ = "0123456789abcdef0123456789abcdef01234567";
};

TEST_F(GithubForgeTest, ACheckRunIsCreatedUpdatedInPlaceAndListed) {
  sdk::StatusReport report{"EkaCI: Evaluate Job (packages)", sdk::CommitState::Running, "Evaluating", "…", "", ""};
  auto id = forge_->publish(repo_, sha_, report, "");
  ASSERT_TRUE(id) << id.error().describe();
  report.state = sdk::CommitState::Failure;
  report.title = "1 new package fails to build";
  report.detailsUrl = "https://ci.example.org/logs/x.drv";
  auto again = forge_->publish(repo_, sha_, report, *id);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(*again, *id);

  auto runs = github_->checkRunsOf(sha_);
  ASSERT_EQ(runs.size(), 1u);
  const auto& run = runs.begin()->second;
  EXPECT_EQ(run.name, "EkaCI: Evaluate Job (packages)");
  EXPECT_EQ(run.status, "completed");
  EXPECT_EQ(run.conclusion, "failure");
  EXPECT_EQ(run.updates, 1);
  EXPECT_EQ(run.detailsUrl, "https://ci.example.org/logs/x.drv");

  auto listed = forge_->list(repo_, sha_);
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, *id);
  EXPECT_EQ(listed->front().state, sdk::CommitState::Failure);

  ASSERT_TRUE(forge_->cancel(repo_, sha_, listed->front()));
  EXPECT_EQ(github_->checkRunsOf(sha_).begin()->second.conclusion, "cancelled");
  // One installation lookup and one token for all of it: the token is cached.
  EXPECT_EQ(count("GET", "/installation"), 1u);
  EXPECT_EQ(count("POST", "/access_tokens"), 1u);
  expectEveryRequestDocumented();
}

TEST_F(GithubForgeTest, EveryStateMapsToWhatTheApiAccepts) {
  for (auto state :
       {sdk::CommitState::Pending, sdk::CommitState::Running, sdk::CommitState::Success, sdk::CommitState::Failure,
        sdk::CommitState::Error, sdk::CommitState::Cancelled, sdk::CommitState::Skipped, sdk::CommitState::Neutral}) {
    sdk::StatusReport report{"r" + std::to_string(static_cast<int>(state)), state, "t", "s", "", "ext"};
    auto id = forge_->publish(repo_, sha_, report, "");
    ASSERT_TRUE(id) << id.error().describe();
    ASSERT_TRUE(forge_->publish(repo_, sha_, report, *id));
  }
  expectEveryRequestDocumented();
}

TEST_F(GithubForgeTest, SummariesAreCutToGithubsLimitOnACharacterBoundary) {
  std::string huge;
  while (huge.size() < 100000) huge += "ü and more text ";
  sdk::StatusReport report{"EkaCI: Change Summary", sdk::CommitState::Neutral, "big", huge, "", ""};
  ASSERT_TRUE(forge_->publish(repo_, sha_, report, ""));
  const auto summary = github_->checkRunsOf(sha_).begin()->second.summary;
  EXPECT_LE(summary.size(), GithubForge::kMaxSummary);
  EXPECT_NE(summary.find("truncated"), std::string::npos);
  expectEveryRequestDocumented();  // maxLength 65535 of output.summary holds
}

TEST_F(GithubForgeTest, CloneCredentialsAreTheInstallationToken) {
  auto credentials = forge_->cloneCredentials(repo_);
  ASSERT_TRUE(credentials) << credentials.error().describe();
  EXPECT_EQ(credentials->username, "x-access-token");
  const auto tokens = github_->issuedTokens();
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(credentials->password.reveal(), tokens.front());
  // Nothing the plugin logged carries it.
  EXPECT_FALSE(host_.capturedLogs().contains(tokens.front()));
}

TEST_F(GithubForgeTest, ARefusedTokenIsReplacedOnTheNextCall) {
  sdk::StatusReport report{"a", sdk::CommitState::Running, "t", "s", "", ""};
  ASSERT_TRUE(forge_->publish(repo_, sha_, report, ""));
  github_->scriptFaults(
      "/repos/octo/pkgs/check-runs",
      {FakeGithub::Fault{401, {}, R"({"message":"Bad credentials"})", std::chrono::milliseconds(0), false}});
  auto refused = forge_->publish(repo_, sha_, report, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::ForgeAuthentication);
  ASSERT_TRUE(forge_->publish(repo_, sha_, report, ""));
  EXPECT_EQ(github_->issuedTokens().size(), 2u);
}

TEST_F(GithubForgeTest, RepositoriesNoAppAllowsAreRefused) {
  auto limited = make(false, {"octo/other-*"});
  auto refused = limited->publish(repo_, sha_, sdk::StatusReport{"a", sdk::CommitState::Running, "", "", "", ""}, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::ForgeRepositoryNotAllowed);
  EXPECT_TRUE(github_->requests().empty());
  repo_.name = "other-pkgs";
  EXPECT_TRUE(limited->publish(repo_, sha_, sdk::StatusReport{"a", sdk::CommitState::Running, "", "", "", ""}, ""));
}

TEST_F(GithubForgeTest, AKeyThatIsNotTheAppsIsRefusedByGithub) {
  host_.fakeSecrets().provide(
      "env", {{"GITHUB_APP_ID", "4242"}, {"GITHUB_APP_PRIVATE_KEY", GithubTestKit::generateKey().privatePem}});
  auto other = make(true, {});
  auto refused = other->publish(repo_, sha_, sdk::StatusReport{"a", sdk::CommitState::Running, "", "", "", ""}, "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::ForgeAuthentication);
}

TEST_F(GithubForgeTest, CommentsReactionsPermissionsAndMergesSpeakGithubsApi) {
  sdk::ChangeRequestRef cr;
  cr.repository = repo_;
  cr.number = 12;
  auto id = forge_->create(cr, "@alice, the merge was cancelled.");
  ASSERT_TRUE(id) << id.error().describe();
  ASSERT_TRUE(forge_->edit(cr, *id, "edited"));
  for (auto reaction :
       {sdk::Reaction::Acknowledge, sdk::Reaction::Failure, sdk::Reaction::Success, sdk::Reaction::Confused}) {
    ASSERT_TRUE(forge_->react(cr, 555, reaction));
  }
  std::vector<std::string> contents;
  for (const auto& r : github_->reactions()) contents.push_back(r.content);
  EXPECT_EQ(contents, (std::vector<std::string>{"+1", "-1", "rocket", "confused"}));
  ASSERT_EQ(github_->comments().size(), 1u);
  EXPECT_EQ(github_->comments()[0].number, 12);

  github_->setPermission("maint", "maintain");
  github_->setPermission("tri", "triage");
  EXPECT_EQ(forge_->permissionOf(repo_, "maint").value(), sdk::Permission::Maintain) << "role_name is preferred";
  EXPECT_EQ(forge_->permissionOf(repo_, "tri").value(), sdk::Permission::Triage);
  EXPECT_EQ(forge_->permissionOf(repo_, "stranger").value(), sdk::Permission::Read);

  github_->setCommitDate(sha_, "2026-12-03T10:15:00Z");
  EXPECT_EQ(forge_->commitTime(repo_, sha_).value(), 1796292900);
  EXPECT_EQ(forge_->commitTime(repo_, "ffff").error().code(), sdk::ErrorCode::NotFound);

  github_->setMergeSettings(false, true, true);
  auto settings = forge_->mergeSettings(repo_);
  ASSERT_TRUE(settings);
  EXPECT_FALSE(settings->merge);
  EXPECT_TRUE(settings->squash);

  github_->setPullHead(12, sha_);
  auto refused = forge_->merge(cr, sdk::MergeMethod::Merge, sha_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::ForgeNotMergeable) << "405";
  auto stale = forge_->merge(cr, sdk::MergeMethod::Squash, "ffffffffffffffffffffffffffffffffffffffff");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), sdk::ErrorCode::ForgeHeadChanged) << "409";
  ASSERT_TRUE(forge_->merge(cr, sdk::MergeMethod::Squash, sha_));
  ASSERT_EQ(github_->merges().size(), 1u);
  EXPECT_EQ(github_->merges()[0].method, "squash");
  EXPECT_EQ(github_->merges()[0].sha, sha_);
  expectEveryRequestDocumented();
}

TEST_F(GithubForgeTest, NamesFromWebhooksCannotChangeThePathsShape) {
  github_->setPermission("a", "admin");
  auto odd = forge_->permissionOf(repo_, "a/../../x?y#z");
  ASSERT_TRUE(odd) << odd.error().describe();
  EXPECT_EQ(*odd, sdk::Permission::None) << "not the permission of a";
  bool sent = false;
  for (const auto& r : github_->requests()) {
    if (r.target.find("/collaborators/") == std::string::npos) continue;
    sent = true;
    EXPECT_NE(r.target.find("%2F"), std::string::npos) << r.target;
    EXPECT_EQ(r.target.find('?'), std::string::npos) << r.target;
  }
  EXPECT_TRUE(sent);
}

TEST(GithubClientTest, RateLimitsSayWhenToRetry) {
  const auto now = std::chrono::system_clock::from_time_t(1'700'000'000);
  sdk::HttpResponse retryAfter{
      403, {{"Retry-After", "30"}}, R"({"message":"You have exceeded a secondary rate limit."})"};
  auto e = GithubClient::errorOf(retryAfter, "POST x", now);
  EXPECT_EQ(e.code(), sdk::ErrorCode::ForgeRateLimited);
  EXPECT_EQ(e.retryAfter(), std::chrono::seconds(30));

  sdk::HttpResponse primary{403, {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", "1700000120"}}, "{}"};
  e = GithubClient::errorOf(primary, "POST x", now);
  EXPECT_EQ(e.code(), sdk::ErrorCode::ForgeRateLimited);
  EXPECT_EQ(e.retryAfter(), std::chrono::seconds(120));

  sdk::HttpResponse secondary{403, {}, R"({"message":"You have exceeded a secondary rate limit. Please wait."})"};
  EXPECT_EQ(GithubClient::errorOf(secondary, "x", now).retryAfter(), std::chrono::seconds(60));
  sdk::HttpResponse tooMany{429, {}, "{}"};
  EXPECT_EQ(GithubClient::errorOf(tooMany, "x", now).code(), sdk::ErrorCode::ForgeRateLimited);

  sdk::HttpResponse forbidden{403, {}, R"({"message":"Resource not accessible by integration"})"};
  EXPECT_EQ(GithubClient::errorOf(forbidden, "x", now).code(), sdk::ErrorCode::ForgeAuthentication);
  EXPECT_FALSE(GithubClient::errorOf(forbidden, "x", now).retryAfter());
  EXPECT_EQ(GithubClient::errorOf(sdk::HttpResponse{502, {}, "bad gateway"}, "x", now).code(),
            sdk::ErrorCode::ForgeApi);
  EXPECT_EQ(GithubClient::errorOf(sdk::HttpResponse{422, {}, "{}"}, "x", now).code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(GithubClient::errorOf(sdk::HttpResponse{404, {}, "{}"}, "x", now).code(), sdk::ErrorCode::NotFound);
}

TEST(OpenApiValidatorTest, RequestsTheApiDoesNotDescribeAreFound) {
  // The validator itself: a check that cannot fail would prove nothing.
  EXPECT_FALSE(openApi().check("POST", "/repos/o/r/check-runs", R"({"name":"x"})").empty());  // head_sha missing
  EXPECT_FALSE(
      openApi().check("POST", "/repos/o/r/check-runs", R"({"name":"x","head_sha":"y","status":"done"})").empty());
  EXPECT_FALSE(openApi().check("POST", "/repos/o/r/check-runz", "{}").empty());
  EXPECT_FALSE(openApi().check("DELETE", "/repos/o/r/check-runs/1", "").empty());
  EXPECT_FALSE(openApi().check("GET", "/repos/o/r/commits/abc/check-runs?colour=red", "").empty());
  EXPECT_FALSE(
      openApi().check("POST", "/repos/o/r/check-runs", R"({"name":"x","head_sha":"y","colour":"red"})").empty());
  EXPECT_TRUE(
      openApi().check("POST", "/repos/o/r/check-runs", R"({"name":"x","head_sha":"y","status":"queued"})").empty());
  EXPECT_TRUE(openApi().check("GET", "/repos/o/r/commits/abc/check-runs?per_page=100&filter=latest", "").empty());
}

}  // namespace
}  // namespace ekaci::github
