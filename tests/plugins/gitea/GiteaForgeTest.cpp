// The Gitea plugin against a local Gitea that checks every request against Gitea's swagger
// description: the forge conformance suite, and what is Gitea's own.
#include <gtest/gtest.h>

#include "GiteaForge.h"
#include "GiteaForgeFactory.h"
#include "ekaci/sdk/testing/FakeHostServices.h"
#include "ekaci/sdk/testing/ForgeConformance.h"
#include "forgekit/WebhookAuth.h"
#include "tests/support/FakeGitea.h"
#include "tests/support/LiveHostServices.h"

namespace ekaci::gitea {
namespace {

using LiveHost = testsupport::LiveHostServices;

constexpr const char* kSha = "2222222222222222222222222222222222222222";

sdk::Value settingsFor(const testsupport::FakeGitea& gitea, const std::string& token) {
  sdk::Value settings = sdk::Value::table();
  settings.set("domain", sdk::Value::string("git.example.org"));
  settings.set("api_url", sdk::Value::string(gitea.apiUrl()));
  settings.set("token", sdk::Value::string(token));
  settings.set("webhook_secret", sdk::Value::string("conformance"));
  return settings;
}

sdk::RepositoryRef repository() {
  sdk::RepositoryRef r;
  r.forgeId = "gitea";
  r.owner = "nix";
  r.name = "pkgs";
  return r;
}

sdk::testing::ForgeSubject giteaSubject() {
  static auto* gitea = new testsupport::FakeGitea("conformance-token");
  static auto* host = new LiveHost;
  gitea->setPullHead(7, kSha);
  auto signedDelivery = [](const std::string& body) {
    sdk::WebhookRequest request;
    request.body = body;
    request.headers = {{"X-Gitea-Event-Type", "pull_request"},
                       {"X-Gitea-Delivery", "c-1"},
                       {"X-Gitea-Signature", forgekit::WebhookAuth::hmacSha256Hex("conformance", body)}};
    return request;
  };
  sdk::testing::ForgeSubject s;
  s.name = "Gitea";
  s.make = [](sdk::testing::FakeHostServices&) {
    return GiteaForgeFactory().create(settingsFor(*gitea, "conformance-token"), *host);
  };
  const std::string opened =
      R"({"action":"opened","number":7,"pull_request":{"number":7,"user":{"login":"alice"},"base":{"ref":"main","sha":"1111111111111111111111111111111111111111"},"head":{"ref":"x","sha":")" +
      std::string(kSha) +
      R"("}},"repository":{"name":"pkgs","full_name":"nix/pkgs","owner":{"login":"nix"},"clone_url":"https://git.example.org/nix/pkgs.git"}})";
  s.signedOpenedDelivery = [=] { return signedDelivery(opened); };
  s.unsignedDelivery = [=] {
    auto r = signedDelivery(opened);
    r.headers.pop_back();
    return r;
  };
  s.signedMalformedDelivery = [=] { return signedDelivery("{not json"); };
  s.signedUnknownDelivery = [=] {
    auto r = signedDelivery(R"({"action":"created","repository":{"name":"pkgs","full_name":"nix/pkgs"}})");
    r.headers[0].second = "release";
    return r;
  };
  s.repository = repository();
  s.changeRequest.repository = s.repository;
  s.changeRequest.number = 7;
  s.changeRequest.headSha = kSha;
  return s;
}

}  // namespace
}  // namespace ekaci::gitea

EKACI_FORGE_CONFORMANCE(Gitea, ekaci::gitea::giteaSubject());

namespace ekaci::gitea {
namespace {

class GiteaForgeTest : public ::testing::Test {
 protected:
  std::unique_ptr<sdk::Forge> make(const std::string& token = "t") {
    auto made = GiteaForgeFactory().create(settingsFor(gitea_, token), host_);
    EXPECT_TRUE(made) << made.error().describe();
    return made ? std::move(made).value() : nullptr;
  }
  testsupport::FakeGitea gitea_{"t"};
  LiveHost host_;
};

TEST_F(GiteaForgeTest, AStatusCarriesTheReportsNameStateAndAShortDescription) {
  auto forge = make();
  sdk::StatusReport report;
  report.name = "EkaCI: Evaluate Job (packages)";
  report.state = sdk::CommitState::Failure;
  report.title = std::string(400, 'x');
  report.detailsUrl = "https://ci.example.org/logs/x";
  ASSERT_TRUE(forge->reports()->publish(repository(), kSha, report, ""));
  auto status = gitea_.statusesOf(kSha).at(report.name);
  EXPECT_EQ(status.state, "failure");
  EXPECT_LE(status.description.size(), 255u);
  EXPECT_EQ(status.targetUrl, report.detailsUrl);
  EXPECT_TRUE(gitea_.problems().empty()) << gitea_.problems().front();
}

TEST_F(GiteaForgeTest, EveryStateHasAGiteaStateAndComesBack) {
  EXPECT_STREQ(GiteaForge::stateName(sdk::CommitState::Running), "pending");
  EXPECT_STREQ(GiteaForge::stateName(sdk::CommitState::Neutral), "success");
  EXPECT_STREQ(GiteaForge::stateName(sdk::CommitState::Cancelled), "warning");
  EXPECT_STREQ(GiteaForge::stateName(sdk::CommitState::Error), "error");
  EXPECT_EQ(GiteaForge::stateOf("failure"), sdk::CommitState::Failure);
  EXPECT_EQ(GiteaForge::stateOf("warning"), sdk::CommitState::Neutral);
}

TEST_F(GiteaForgeTest, AWrongTokenIsAnAuthenticationError) {
  auto forge = make("wrong");
  sdk::StatusReport report;
  report.name = "x";
  auto published = forge->reports()->publish(repository(), kSha, report, "");
  ASSERT_FALSE(published);
  EXPECT_EQ(published.error().code(), sdk::ErrorCode::ForgeAuthentication);
  EXPECT_EQ(published.error().message().find("wrong"), std::string::npos) << "the token is not in the error";
}

TEST_F(GiteaForgeTest, PermissionsSettingsAndMergesAreGiteas) {
  auto forge = make();
  gitea_.setPermission("owner", "owner");
  gitea_.setPermission("dev", "write");
  gitea_.setPermission("reader", "read");
  EXPECT_EQ(forge->merges()->permissionOf(repository(), "owner").valueOr(sdk::Permission::None),
            sdk::Permission::Admin);
  EXPECT_EQ(forge->merges()->permissionOf(repository(), "dev").valueOr(sdk::Permission::None), sdk::Permission::Write);
  EXPECT_EQ(forge->merges()->permissionOf(repository(), "reader").valueOr(sdk::Permission::None),
            sdk::Permission::Read);
  EXPECT_EQ(forge->merges()->permissionOf(repository(), "nobody").valueOr(sdk::Permission::Admin),
            sdk::Permission::None);

  gitea_.setMergeSettings(true, false, false);
  auto settings = forge->merges()->mergeSettings(repository());
  ASSERT_TRUE(settings);
  EXPECT_TRUE(settings->merge);
  EXPECT_FALSE(settings->squash);

  gitea_.setCommitDate(kSha, "2024-05-01T14:00:00+02:00");
  EXPECT_EQ(forge->merges()->commitTime(repository(), kSha).valueOr(0), 1714564800);

  sdk::ChangeRequestRef cr;
  cr.repository = repository();
  cr.number = 7;
  gitea_.setPullHead(7, kSha);
  auto disallowed = forge->merges()->merge(cr, sdk::MergeMethod::Squash, kSha);
  ASSERT_FALSE(disallowed);
  EXPECT_EQ(disallowed.error().code(), sdk::ErrorCode::ForgeNotMergeable);
  auto stale = forge->merges()->merge(cr, sdk::MergeMethod::Merge, std::string(40, '9'));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code(), sdk::ErrorCode::ForgeHeadChanged);
  ASSERT_TRUE(forge->merges()->merge(cr, sdk::MergeMethod::Merge, kSha));
  ASSERT_EQ(gitea_.merges().size(), 1u);
  EXPECT_EQ(gitea_.merges()[0].method, "merge");
  EXPECT_TRUE(gitea_.problems().empty()) << gitea_.problems().front();
}

TEST_F(GiteaForgeTest, CloneCredentialsAreTheTokenAndNothingWithoutOne) {
  auto forge = make("clone-token");
  auto credentials = forge->installations()->cloneCredentials(repository());
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->password.reveal(), "clone-token");
  sdk::Value none = settingsFor(gitea_, "");
  none.erase("token");
  auto bare = GiteaForgeFactory().create(none, host_);
  ASSERT_TRUE(bare);
  auto missing = (*bare)->installations()->cloneCredentials(repository());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::NotFound);
}

TEST_F(GiteaForgeTest, WithoutAWebhookSecretTheForgeIsRefused) {
  sdk::Value settings = settingsFor(gitea_, "t");
  settings.erase("webhook_secret");
  auto made = GiteaForgeFactory().create(settings, host_);
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code(), sdk::ErrorCode::ConfigMissingKey);
}

}  // namespace
}  // namespace ekaci::gitea
