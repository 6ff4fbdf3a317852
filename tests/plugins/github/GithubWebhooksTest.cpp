// GitHub deliveries: the signature is checked before anything is parsed, and GitHub's own
// example payloads become the events the kernel acts on.
#include <gtest/gtest.h>

#include "GithubEventParser.h"
#include "GithubWebhooks.h"
#include "tests/support/GithubTestKit.h"

namespace ekaci::github {
namespace {

using testsupport::GithubTestKit;

sdk::WebhookRequest delivery(const std::string& event, const std::string& body, const std::string& secret,
                             const std::string& id = "d-1") {
  sdk::WebhookRequest request;
  request.body = body;
  request.path = "/github/webhook";
  request.headers = {{"X-GitHub-Event", event}, {"X-GitHub-Delivery", id}};
  if (!secret.empty()) request.headers.emplace_back("x-hub-signature-256", GithubWebhooks::signature(secret, body));
  return request;
}

TEST(GithubWebhooksTest, SignatureIsGithubsHmacSha256) {
  // GitHub's documented test vector: secret "It's a Secret to Everybody", body "Hello, World!".
  EXPECT_EQ(GithubWebhooks::signature("It's a Secret to Everybody", "Hello, World!"),
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

TEST(GithubWebhooksTest, GoodSignaturesPassAndEverythingElseIsRefused) {
  GithubWebhooks webhooks(sdk::Secret("s3cret"), false, "github");
  const std::string body = R"({"zen":"Keep it logically awesome."})";
  EXPECT_TRUE(webhooks.verify(delivery("ping", body, "s3cret")));

  auto missing = webhooks.verify(delivery("ping", body, ""));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::WebhookSignatureMissing);

  auto wrongKey = webhooks.verify(delivery("ping", body, "other"));
  ASSERT_FALSE(wrongKey);
  EXPECT_EQ(wrongKey.error().code(), sdk::ErrorCode::WebhookSignatureInvalid);

  auto tampered = delivery("ping", body, "s3cret");
  tampered.body += " ";
  EXPECT_EQ(webhooks.verify(tampered).error().code(), sdk::ErrorCode::WebhookSignatureInvalid);

  auto truncated = delivery("ping", body, "s3cret");
  truncated.headers.back().second.pop_back();
  EXPECT_EQ(webhooks.verify(truncated).error().code(), sdk::ErrorCode::WebhookSignatureInvalid);

  auto sha1Only = delivery("ping", body, "");
  sha1Only.headers.emplace_back("X-Hub-Signature", "sha1=0000");
  EXPECT_EQ(webhooks.verify(sha1Only).error().code(), sdk::ErrorCode::WebhookSignatureMissing);
}

TEST(GithubWebhooksTest, WithoutASecretOnlyTheInsecureModeAccepts) {
  GithubWebhooks strict(std::nullopt, false, "github");
  EXPECT_EQ(strict.verify(delivery("ping", "{}", "")).error().code(), sdk::ErrorCode::WebhookSignatureInvalid);
  GithubWebhooks insecure(std::nullopt, true, "github");
  EXPECT_TRUE(insecure.verify(delivery("ping", "{}", "")));
}

TEST(GithubWebhooksTest, MalformedBodiesAndMissingEventNamesAreMalformed) {
  GithubWebhooks webhooks(sdk::Secret("k"), false, "github");
  EXPECT_EQ(webhooks.parse(delivery("pull_request", "not json", "k")).error().code(), sdk::ErrorCode::WebhookMalformed);
  EXPECT_EQ(webhooks.parse(delivery("pull_request", "[1,2]", "k")).error().code(), sdk::ErrorCode::WebhookMalformed);
  EXPECT_EQ(webhooks.parse(delivery("pull_request", R"({"action":"opened"})", "k")).error().code(),
            sdk::ErrorCode::WebhookMalformed);
  sdk::WebhookRequest noEvent;
  noEvent.body = "{}";
  EXPECT_EQ(webhooks.parse(noEvent).error().code(), sdk::ErrorCode::WebhookMalformed);
}

TEST(GithubWebhooksTest, EveryPullRequestExampleBecomesItsEvent) {
  const std::map<std::string, sdk::ForgeEventKind> expected = {
      {"opened", sdk::ForgeEventKind::ChangeRequestOpened},
      {"synchronize", sdk::ForgeEventKind::ChangeRequestUpdated},
      {"reopened", sdk::ForgeEventKind::ChangeRequestReopened},
      {"edited", sdk::ForgeEventKind::ChangeRequestEdited},
      {"ready_for_review", sdk::ForgeEventKind::ChangeRequestReadyForReview},
      {"converted_to_draft", sdk::ForgeEventKind::ChangeRequestConvertedToDraft},
  };
  auto all = GithubTestKit::examples("pull_request");
  ASSERT_GT(all.size(), 20u) << "GitHub's webhook examples are missing; run scripts/setup ("
                             << GithubTestKit::examplesPath() << ")";
  std::size_t closed = 0, merged = 0;
  for (const auto& example : all) {
    const std::string action = example->getValue<std::string>("action");
    auto events = GithubEventParser::parse("pull_request", "d", GithubTestKit::stringify(example), "github");
    ASSERT_TRUE(events) << action << ": " << events.error().describe();
    ASSERT_EQ(events->size(), 1u);
    const auto& e = events->front();
    auto pr = example->getObject("pull_request");
    EXPECT_EQ(e.changeRequest.number, pr->getValue<std::uint64_t>("number"));
    EXPECT_EQ(e.changeRequest.headSha, pr->getObject("head")->getValue<std::string>("sha"));
    EXPECT_EQ(e.changeRequest.baseSha, pr->getObject("base")->getValue<std::string>("sha"));
    EXPECT_EQ(e.changeRequest.repository.fullName(),
              example->getObject("repository")->getValue<std::string>("full_name"));
    EXPECT_EQ(e.changeRequest.repository.cloneUrl,
              example->getObject("repository")->getValue<std::string>("clone_url"));
    EXPECT_FALSE(e.changeRequest.author.empty());
    if (example->has("installation")) {
      EXPECT_FALSE(e.installationId.empty());
    }
    if (action == "closed") {
      const bool wasMerged = pr->getValue<bool>("merged");
      EXPECT_EQ(e.kind,
                wasMerged ? sdk::ForgeEventKind::ChangeRequestMerged : sdk::ForgeEventKind::ChangeRequestClosed);
      (wasMerged ? merged : closed)++;
    } else if (auto kind = expected.find(action); kind != expected.end()) {
      EXPECT_EQ(e.kind, kind->second) << action;
    } else {
      EXPECT_EQ(e.kind, sdk::ForgeEventKind::Other) << action;
    }
  }
  EXPECT_GT(closed + merged, 0u);
}

TEST(GithubWebhooksTest, ForkPullRequestsNameTheForkAsTheHeadsSource) {
  auto example = GithubTestKit::examples("pull_request", "opened").at(0);
  auto head = example->getObject("pull_request")->getObject("head");
  head->getObject("repo")->set("full_name", "stranger/fork");
  head->getObject("repo")->set("clone_url", "https://github.com/stranger/fork.git");
  auto events = GithubEventParser::parse("pull_request", "d", GithubTestKit::stringify(example), "github");
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->front().changeRequest.fromFork);
  EXPECT_EQ(events->front().changeRequest.headCloneUrl, "https://github.com/stranger/fork.git");
  // Reports still go to the base repository.
  EXPECT_EQ(events->front().changeRequest.repository.fullName(),
            example->getObject("repository")->getValue<std::string>("full_name"));
}

TEST(GithubWebhooksTest, TheOtherEventsTheServerActsOn) {
  auto parse = [](const std::string& event, const Poco::JSON::Object::Ptr& example) {
    auto events = GithubEventParser::parse(event, "d", GithubTestKit::stringify(example), "github");
    EXPECT_TRUE(events) << event;
    return events ? events->front() : sdk::ForgeEvent{};
  };
  auto group = GithubTestKit::examples("merge_group", "checks_requested").at(0);
  auto entry = parse("merge_group", group);
  EXPECT_EQ(entry.kind, sdk::ForgeEventKind::MergeQueueEntry);
  EXPECT_EQ(entry.afterSha, group->getObject("merge_group")->getValue<std::string>("head_sha"));
  EXPECT_EQ(entry.beforeSha, group->getObject("merge_group")->getValue<std::string>("base_sha"));
  EXPECT_FALSE(entry.ref.empty());

  auto rerun = parse("check_run", GithubTestKit::examples("check_run", "rerequested").at(0));
  EXPECT_EQ(rerun.kind, sdk::ForgeEventKind::RerunRequested);
  EXPECT_FALSE(rerun.reportId.empty());
  EXPECT_FALSE(rerun.afterSha.empty());
  auto suite = parse("check_suite", GithubTestKit::examples("check_suite", "rerequested").at(0));
  EXPECT_EQ(suite.kind, sdk::ForgeEventKind::RerunRequested);
  EXPECT_TRUE(suite.reportId.empty());

  auto review = parse("pull_request_review", GithubTestKit::examples("pull_request_review", "submitted").at(0));
  EXPECT_EQ(review.kind, sdk::ForgeEventKind::ReviewSubmitted);
  EXPECT_FALSE(review.reviewer.empty());
  EXPECT_EQ(parse("pull_request_review", GithubTestKit::examples("pull_request_review", "dismissed").at(0)).kind,
            sdk::ForgeEventKind::ReviewDismissed);

  // GitHub's examples are comments on issues; on a pull request, the issue names it.
  auto onIssue = GithubTestKit::examples("issue_comment", "created").at(0);
  EXPECT_EQ(parse("issue_comment", onIssue).kind, sdk::ForgeEventKind::Other);
  Poco::JSON::Object::Ptr link = new Poco::JSON::Object;
  link->set("url", "https://api.github.com/repos/o/r/pulls/1");
  onIssue->getObject("issue")->set("pull_request", link);
  auto comment = parse("issue_comment", onIssue);
  EXPECT_EQ(comment.kind, sdk::ForgeEventKind::Comment);
  EXPECT_FALSE(comment.commentBody.empty());
  EXPECT_NE(comment.commentId, 0u);
  EXPECT_EQ(comment.changeRequest.number, onIssue->getObject("issue")->getValue<std::uint64_t>("number"));

  auto installed = parse("installation", GithubTestKit::examples("installation", "created").at(0));
  EXPECT_EQ(installed.kind, sdk::ForgeEventKind::Installation);
  EXPECT_FALSE(installed.installationId.empty());
  EXPECT_FALSE(installed.installationRepositories.empty());
  EXPECT_TRUE(parse("installation", GithubTestKit::examples("installation", "deleted").at(0)).installationRemoved);
  auto removed =
      parse("installation_repositories", GithubTestKit::examples("installation_repositories", "removed").at(0));
  EXPECT_TRUE(removed.installationRemoved);
  EXPECT_FALSE(removed.installationRepositories.empty());

  EXPECT_EQ(parse("ping", GithubTestKit::examples("ping").at(0)).kind, sdk::ForgeEventKind::Ping);
  // Events the server does not act on are acknowledged as Other, never an error.
  for (const char* other : {"star", "release", "workflow_run", "issues"}) {
    EXPECT_EQ(parse(other, GithubTestKit::examples(other).at(0)).kind, sdk::ForgeEventKind::Other) << other;
  }
}

// Found by the WebhookPayload fuzz target: a comment without an id was a command event
// the server could not answer.
TEST(GithubWebhooksTest, APullRequestOrCommentMissingWhatTheServerNeedsIsMalformed) {
  const std::string comment =
      R"({"action":"created","issue":{"number":7,"pull_request":{"url":"x"}},"comment":{"Rid":5,"body":"@eka-ci merge",)"
      R"("user":{"login":"bob","id":9}},"repository":{"name":"demo","full_name":"octo/demo"}})";
  auto noId = GithubEventParser::parse("issue_comment", "d", comment, "github");
  ASSERT_FALSE(noId);
  EXPECT_EQ(noId.error().code(), sdk::ErrorCode::WebhookMalformed);
  const std::string opened =
      R"({"action":"opened","pull_request":{"number":7,"head":{"sha":""},"base":{}},"repository":{"name":"demo"}})";
  auto noHead = GithubEventParser::parse("pull_request", "d", opened, "github");
  ASSERT_FALSE(noHead);
  EXPECT_EQ(noHead.error().code(), sdk::ErrorCode::WebhookMalformed);
}

}  // namespace
}  // namespace ekaci::github
