// The GitLab plugin against a strict local GitLab: the forge conformance suite, and what is
// GitLab's own — status transitions, project paths, access levels, merge options.
#include <gtest/gtest.h>

#include "GitlabForge.h"
#include "GitlabForgeFactory.h"
#include "ekaci/sdk/testing/FakeHostServices.h"
#include "ekaci/sdk/testing/ForgeConformance.h"
#include "tests/support/FakeGitlab.h"
#include "tests/support/LiveHostServices.h"

namespace ekaci::gitlab {
namespace {

using LiveHost = testsupport::LiveHostServices;

constexpr const char* kSha = "3333333333333333333333333333333333333333";

sdk::Value settingsFor(const testsupport::FakeGitlab& gitlab, const std::string& token,
                       const std::string& type = "private") {
  sdk::Value settings = sdk::Value::table();
  settings.set("domain", sdk::Value::string("gitlab.example.org"));
  settings.set("api_url", sdk::Value::string(gitlab.apiUrl()));
  settings.set("token", sdk::Value::string(token));
  settings.set("token_type", sdk::Value::string(type));
  settings.set("webhook_secret", sdk::Value::string("conformance"));
  return settings;
}

sdk::RepositoryRef project(bool withId = true) {
  sdk::RepositoryRef r;
  r.forgeId = "gitlab";
  r.owner = "nix/infra";
  r.name = "pkgs";
  if (withId) r.projectId = "14";
  return r;
}

sdk::testing::ForgeSubject gitlabSubject() {
  static auto* gitlab = new testsupport::FakeGitlab("conformance-token", 14, "nix/infra/pkgs");
  static auto* host = new LiveHost;
  gitlab->setMergeRequestHead(3, kSha);
  auto delivery = [](const std::string& body, bool withToken) {
    sdk::WebhookRequest request;
    request.body = body;
    request.headers = {{"X-Gitlab-Event", "Merge Request Hook"}, {"X-Gitlab-Event-UUID", "c-1"}};
    if (withToken) request.headers.emplace_back("X-Gitlab-Token", "conformance");
    return request;
  };
  sdk::testing::ForgeSubject s;
  s.name = "GitLab";
  s.signsBody = false;
  s.make = [](sdk::testing::FakeHostServices&) {
    return GitlabForgeFactory().create(settingsFor(*gitlab, "conformance-token"), *host);
  };
  const std::string opened =
      R"({"object_kind":"merge_request","user":{"id":51,"username":"alice"},"project":{"id":14,"path_with_namespace":"nix/infra/pkgs","git_http_url":"https://gitlab.example.org/nix/infra/pkgs.git"},"object_attributes":{"iid":3,"author_id":51,"target_branch":"main","source_branch":"x","source_project_id":14,"target_project_id":14,"action":"open","last_commit":{"id":")" +
      std::string(kSha) + R"("}}})";
  s.signedOpenedDelivery = [=] { return delivery(opened, true); };
  s.unsignedDelivery = [=] { return delivery(opened, false); };
  s.signedMalformedDelivery = [=] { return delivery("{not json", true); };
  s.signedUnknownDelivery = [=] {
    auto r = delivery(R"({"object_kind":"pipeline","project":{"id":14,"path_with_namespace":"nix/infra/pkgs"}})", true);
    r.headers[0].second = "Pipeline Hook";
    return r;
  };
  s.repository = project();
  s.changeRequest.repository = s.repository;
  s.changeRequest.number = 3;
  s.changeRequest.headSha = kSha;
  return s;
}

}  // namespace
}  // namespace ekaci::gitlab

EKACI_FORGE_CONFORMANCE(Gitlab, ekaci::gitlab::gitlabSubject());

namespace ekaci::gitlab {
namespace {

class GitlabForgeTest : public ::testing::Test {
 protected:
  std::unique_ptr<sdk::Forge> make(const std::string& token = "t", const std::string& type = "private") {
    auto made = GitlabForgeFactory().create(settingsFor(gitlab_, token, type), host_);
    EXPECT_TRUE(made) << made.error().describe();
    return made ? std::move(made).value() : nullptr;
  }
  sdk::StatusReport report(sdk::CommitState state, const std::string& title) {
    sdk::StatusReport r;
    r.name = "EkaCI: Evaluate Job (packages)";
    r.state = state;
    r.title = title;
    return r;
  }
  testsupport::FakeGitlab gitlab_{"t", 14, "nix/infra/pkgs"};
  LiveHost host_;
};

TEST_F(GitlabForgeTest, TheSameStateIsNotPostedTwiceAndNeverRefused) {
  auto forge = make();
  ASSERT_TRUE(forge->reports()->publish(project(), kSha, report(sdk::CommitState::Running, "evaluating"), ""));
  ASSERT_TRUE(forge->reports()->publish(project(), kSha, report(sdk::CommitState::Running, "120 attributes"), ""));
  ASSERT_TRUE(forge->reports()->publish(project(), kSha, report(sdk::CommitState::Failure, "1 failing"), ""));
  EXPECT_EQ(gitlab_.statusesOf(kSha).at("EkaCI: Evaluate Job (packages)").state, "failed");
  EXPECT_TRUE(gitlab_.problems().empty()) << gitlab_.problems().front();

  // A second server process (a restart) does not know what was posted: GitLab's refusal of
  // the state the status already has counts as delivered.
  sdk::StatusReport other = report(sdk::CommitState::Running, "building");
  other.name = "EkaCI: Evaluate Job (tests)";
  ASSERT_TRUE(forge->reports()->publish(project(), kSha, other, ""));
  auto restarted = make();
  other.title = "still building";
  ASSERT_TRUE(restarted->reports()->publish(project(), kSha, other, ""));
  other.state = sdk::CommitState::Success;
  ASSERT_TRUE(restarted->reports()->publish(project(), kSha, other, ""));
  EXPECT_EQ(gitlab_.statusesOf(kSha).at(other.name).state, "success");
  std::size_t refused = 0;
  for (const auto& request : gitlab_.requests()) refused += request.status == 400;
  EXPECT_EQ(refused, 1u);
}

TEST_F(GitlabForgeTest, AConcurrentUpdateIsRetriedByTheKernelNotLost) {
  auto forge = make();
  gitlab_.scriptFaults("/api/v4/projects/14/statuses/",
                       {{409, R"({"message":"Commit status is being updated, please try again"})", {}}});
  auto first = forge->reports()->publish(project(), kSha, report(sdk::CommitState::Pending, "queued"), "");
  ASSERT_FALSE(first);
  ASSERT_TRUE(first.error().retryAfter()) << "the outbox tries it again";
  EXPECT_TRUE(forge->reports()->publish(project(), kSha, report(sdk::CommitState::Pending, "queued"), ""));
}

TEST_F(GitlabForgeTest, ProjectsAreAddressedByIdOrEncodedPath) {
  EXPECT_EQ(GitlabForge::projectPath(project()), "/projects/14");
  EXPECT_EQ(GitlabForge::projectPath(project(false)), "/projects/nix%2Finfra%2Fpkgs");
  auto forge = make();
  ASSERT_TRUE(forge->reports()->publish(project(false), kSha, report(sdk::CommitState::Success, "ok"), ""));
  EXPECT_EQ(gitlab_.statusesOf(kSha).size(), 1u);
}

TEST_F(GitlabForgeTest, AnOauthTokenIsABearerToken) {
  auto forge = make("t", "oauth");
  ASSERT_TRUE(forge->reports()->publish(project(), kSha, report(sdk::CommitState::Success, "ok"), ""));
  const auto request = gitlab_.requests().back();
  EXPECT_EQ(request.headers.count("private-token"), 0u);
  EXPECT_EQ(request.headers.at("authorization"), "Bearer t");
  auto wrong = make("nope");
  auto refused = wrong->reports()->publish(project(), kSha, report(sdk::CommitState::Success, "ok"), "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::ForgeAuthentication);
}

TEST_F(GitlabForgeTest, AccessLevelsMergeOptionsAndMerges) {
  auto forge = make();
  gitlab_.setMember("owner", 50);
  gitlab_.setMember("maintainer", 40);
  gitlab_.setMember("developer", 30);
  gitlab_.setMember("developer-2", 10);  // found by GitLab's fuzzy search for "developer"
  gitlab_.setMember("guest", 10);
  auto level = [&](const std::string& user) {
    return forge->merges()->permissionOf(project(), user).valueOr(sdk::Permission::Admin);
  };
  EXPECT_EQ(level("owner"), sdk::Permission::Admin);
  EXPECT_EQ(level("maintainer"), sdk::Permission::Maintain);
  EXPECT_EQ(level("developer"), sdk::Permission::Write);
  EXPECT_EQ(level("guest"), sdk::Permission::Read);
  EXPECT_EQ(level("stranger"), sdk::Permission::None);
  EXPECT_EQ(level("develop"), sdk::Permission::None) << "only an exact username counts";

  gitlab_.setMergeOptions("ff", "never");
  auto settings = forge->merges()->mergeSettings(project());
  ASSERT_TRUE(settings);
  EXPECT_FALSE(settings->merge);
  EXPECT_TRUE(settings->rebase);
  EXPECT_FALSE(settings->squash);

  gitlab_.setCommitDate(kSha, "2024-05-01T14:00:00.000+02:00");
  EXPECT_EQ(forge->merges()->commitTime(project(), kSha).valueOr(0), 1714564800);

  gitlab_.setMergeOptions("merge", "default_off");
  gitlab_.setMergeRequestHead(3, kSha);
  sdk::ChangeRequestRef cr;
  cr.repository = project();
  cr.number = 3;
  auto stale = forge->merges()->merge(cr, sdk::MergeMethod::Squash, std::string(40, '9'));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), sdk::ErrorCode::ForgeHeadChanged);
  ASSERT_TRUE(forge->merges()->merge(cr, sdk::MergeMethod::Squash, kSha));
  ASSERT_EQ(gitlab_.merges().size(), 1u);
  EXPECT_TRUE(gitlab_.merges()[0].squash);
  EXPECT_TRUE(gitlab_.problems().empty()) << gitlab_.problems().front();
}

TEST_F(GitlabForgeTest, NotesAreEditedAndAwardedEmoji) {
  auto forge = make();
  sdk::ChangeRequestRef cr;
  cr.repository = project();
  cr.number = 3;
  auto id = forge->comments()->create(cr, "first");
  ASSERT_TRUE(id) << id.error().describe();
  ASSERT_TRUE(forge->comments()->edit(cr, *id, "second"));
  ASSERT_TRUE(forge->comments()->react(cr, *id, sdk::Reaction::Success));
  ASSERT_TRUE(forge->comments()->react(cr, *id, sdk::Reaction::Failure));
  EXPECT_EQ(gitlab_.notes().at(0).body, "second");
  ASSERT_EQ(gitlab_.awards().size(), 2u);
  EXPECT_EQ(gitlab_.awards()[0].name, "rocket");
  EXPECT_EQ(gitlab_.awards()[1].name, "thumbsdown");
  EXPECT_TRUE(gitlab_.problems().empty()) << gitlab_.problems().front();
}

}  // namespace
}  // namespace ekaci::gitlab
