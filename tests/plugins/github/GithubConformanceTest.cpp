// The GitHub plugin passes the same forge conformance suite as Gitea and GitLab, against the
// local GitHub (the App's JWT verified, installation tokens issued and required).
#include <gtest/gtest.h>

#include "GithubForgeFactory.h"
#include "GithubWebhooks.h"
#include "ekaci/sdk/testing/ForgeConformance.h"
#include "tests/support/FakeGithub.h"
#include "tests/support/GithubTestKit.h"
#include "tests/support/LiveHostServices.h"

namespace ekaci::github {
namespace {

constexpr const char* kSha = "0123456789abcdef0123456789abcdef01234567";

sdk::testing::ForgeSubject githubSubject() {
  static const auto key = testsupport::GithubTestKit::generateKey();
  static auto* github = new testsupport::FakeGithub("4242", key.publicPem, 77);
  static auto* host = [] {
    auto* h = new testsupport::LiveHostServices;
    h->fakeSecrets().provide("env", {{"GITHUB_APP_ID", "4242"}, {"GITHUB_APP_PRIVATE_KEY", key.privatePem}});
    return h;
  }();
  github->setPullHead(7, kSha);
  auto delivery = [](const std::string& event, const std::string& body, bool sign) {
    sdk::WebhookRequest request;
    request.body = body;
    request.headers = {{"X-GitHub-Event", event}, {"X-GitHub-Delivery", "c-1"}};
    if (sign) request.headers.emplace_back("X-Hub-Signature-256", GithubWebhooks::signature("conformance", body));
    return request;
  };
  sdk::testing::ForgeSubject s;
  s.name = "GitHub";
  s.make = [](sdk::testing::FakeHostServices&) {
    sdk::Value credentials = sdk::Value::table();
    credentials.set("env", sdk::Value::table());
    sdk::Value app = sdk::Value::table();
    app.set("id", sdk::Value::string("conformance"));
    app.set("api_url", sdk::Value::string(github->apiUrl()));
    app.set("credentials", credentials);
    sdk::Value apps = sdk::Value::array();
    apps.push(app);
    sdk::Value settings = sdk::Value::table();
    settings.set("apps", apps);
    settings.set("webhook_secret", sdk::Value::string("conformance"));
    return GithubForgeFactory().create(settings, *host);
  };
  const std::string opened =
      R"({"action":"opened","number":7,"pull_request":{"number":7,"user":{"login":"alice"},"base":{"ref":"main","sha":"1111111111111111111111111111111111111111","repo":{"full_name":"octo/pkgs"}},"head":{"ref":"x","sha":")" +
      std::string(kSha) +
      R"(","repo":{"full_name":"octo/pkgs","clone_url":"https://github.com/octo/pkgs.git"}}},"repository":{"name":"pkgs","full_name":"octo/pkgs","owner":{"login":"octo"},"clone_url":"https://github.com/octo/pkgs.git"},"installation":{"id":77}})";
  s.signedOpenedDelivery = [=] { return delivery("pull_request", opened, true); };
  s.unsignedDelivery = [=] { return delivery("pull_request", opened, false); };
  s.signedMalformedDelivery = [=] { return delivery("pull_request", "{not json", true); };
  s.signedUnknownDelivery = [=] {
    return delivery("star", R"({"action":"created","repository":{"name":"pkgs","full_name":"octo/pkgs"}})", true);
  };
  s.repository.forgeId = "github";
  s.repository.owner = "octo";
  s.repository.name = "pkgs";
  s.repository.installationId = "77";
  s.changeRequest.repository = s.repository;
  s.changeRequest.number = 7;
  s.changeRequest.headSha = kSha;
  return s;
}

}  // namespace
}  // namespace ekaci::github

EKACI_FORGE_CONFORMANCE(Github, ekaci::github::githubSubject());
