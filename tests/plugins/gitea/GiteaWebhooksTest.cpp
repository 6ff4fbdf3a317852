// Gitea and Forgejo deliveries: the signature is checked before anything is parsed, and
// payloads shaped as Gitea documents them become the events the kernel acts on.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "GiteaWebhooks.h"
#include "forgekit/WebhookAuth.h"

namespace ekaci::gitea {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EKACI_SOURCE_DIR) + "/tests/data/gitea/" + name);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

sdk::WebhookRequest delivery(const std::string& type, const std::string& body, const std::string& secret,
                             const std::string& header = "X-Gitea-Signature") {
  sdk::WebhookRequest request;
  request.body = body;
  request.path = "/gitea/webhook";
  request.headers = {{"X-Gitea-Event-Type", type}, {"X-Gitea-Delivery", "5b7d-1"}};
  if (!secret.empty()) request.headers.emplace_back(header, forgekit::WebhookAuth::hmacSha256Hex(secret, body));
  return request;
}

sdk::ForgeEvent only(const GiteaWebhooks& webhooks, const sdk::WebhookRequest& request) {
  auto events = webhooks.parse(request);
  EXPECT_TRUE(events) << events.error().describe();
  if (!events || events->size() != 1) return {};
  return events->front();
}

TEST(GiteaWebhooksTest, GiteasAndForgejosSignaturesPassAndEverythingElseIsRefused) {
  GiteaWebhooks webhooks(sdk::Secret("s3cret"), false, "");
  const std::string body = fixture("pull_request_opened.json");
  ASSERT_FALSE(body.empty());
  EXPECT_TRUE(webhooks.verify(delivery("pull_request", body, "s3cret")));
  EXPECT_TRUE(webhooks.verify(delivery("pull_request", body, "s3cret", "X-Forgejo-Signature")));

  auto missing = webhooks.verify(delivery("pull_request", body, ""));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::WebhookSignatureMissing);
  auto wrongKey = webhooks.verify(delivery("pull_request", body, "other"));
  ASSERT_FALSE(wrongKey);
  EXPECT_EQ(wrongKey.error().code(), sdk::ErrorCode::WebhookSignatureInvalid);
  auto tampered = delivery("pull_request", body, "s3cret");
  tampered.body.replace(tampered.body.find("alice"), 5, "mallo");
  EXPECT_FALSE(webhooks.verify(tampered));
  // GitHub's prefixed form is not Gitea's header.
  auto prefixed = delivery("pull_request", body, "");
  prefixed.headers.emplace_back("X-Gitea-Signature", "sha256=" + forgekit::WebhookAuth::hmacSha256Hex("s3cret", body));
  EXPECT_FALSE(webhooks.verify(prefixed));

  GiteaWebhooks unconfigured(std::nullopt, false, "");
  EXPECT_FALSE(unconfigured.verify(delivery("pull_request", body, "s3cret")));
}

TEST(GiteaWebhooksTest, APullRequestOpenedIsReviewable) {
  GiteaWebhooks webhooks(sdk::Secret("s"), false, "");
  const auto e = only(webhooks, delivery("pull_request", fixture("pull_request_opened.json"), "s"));
  EXPECT_EQ(e.kind, sdk::ForgeEventKind::ChangeRequestOpened);
  EXPECT_EQ(e.deliveryId, "5b7d-1");
  EXPECT_EQ(e.repository.owner, "nix");
  EXPECT_EQ(e.repository.name, "pkgs");
  EXPECT_EQ(e.repository.cloneUrl, "https://git.example.org/nix/pkgs.git");
  EXPECT_EQ(e.changeRequest.number, 7u);
  EXPECT_EQ(e.changeRequest.author, "alice");
  EXPECT_EQ(e.changeRequest.baseBranch, "main");
  EXPECT_EQ(e.changeRequest.baseSha, "1111111111111111111111111111111111111111");
  EXPECT_EQ(e.changeRequest.headSha, "2222222222222222222222222222222222222222");
  EXPECT_FALSE(e.changeRequest.fromFork);
}

TEST(GiteaWebhooksTest, EveryPullRequestActionHasItsKind) {
  GiteaWebhooks webhooks(sdk::Secret("s"), false, "");
  std::string body = fixture("pull_request_opened.json");
  auto with = [&](const std::string& action, const std::string& type = "pull_request") {
    std::string b = body;
    b.replace(b.find("\"opened\""), 8, "\"" + action + "\"");
    return only(webhooks, delivery(type, b, "s"));
  };
  EXPECT_EQ(with("synchronized", "pull_request_sync").kind, sdk::ForgeEventKind::ChangeRequestUpdated);
  EXPECT_EQ(with("reopened").kind, sdk::ForgeEventKind::ChangeRequestReopened);
  EXPECT_EQ(with("closed").kind, sdk::ForgeEventKind::ChangeRequestClosed);
  EXPECT_EQ(with("edited").kind, sdk::ForgeEventKind::ChangeRequestEdited);
  const auto label = with("label_updated", "pull_request_label");
  EXPECT_EQ(label.kind, sdk::ForgeEventKind::Other);
  EXPECT_EQ(label.eventName, "pull_request_label");

  std::string merged = body;
  merged.replace(merged.find("\"opened\""), 8, "\"closed\"");
  merged.replace(merged.find("\"merged\": false"), 15, "\"merged\": true");
  EXPECT_EQ(only(webhooks, delivery("pull_request", merged, "s")).kind, sdk::ForgeEventKind::ChangeRequestMerged);
}

TEST(GiteaWebhooksTest, ACommentOnAPullRequestCarriesItsAuthorAndTime) {
  GiteaWebhooks webhooks(sdk::Secret("s"), false, "");
  const auto e = only(webhooks, delivery("pull_request_comment", fixture("issue_comment_created.json"), "s"));
  EXPECT_EQ(e.kind, sdk::ForgeEventKind::Comment);
  EXPECT_EQ(e.changeRequest.number, 7u);
  EXPECT_EQ(e.commentId, 905u);
  EXPECT_EQ(e.commentAuthor, "bob");
  EXPECT_EQ(e.commentAuthorId, "5");
  EXPECT_EQ(e.commentBody, "@eka-ci merge");
  EXPECT_EQ(e.commentCreatedAt, 1714557600);  // 12:00 at +02:00

  // The same event from an older Gitea, by X-Gitea-Event only; and one on an issue.
  sdk::WebhookRequest older = delivery("", fixture("issue_comment_created.json"), "s");
  older.headers.erase(older.headers.begin());
  older.headers.emplace_back("X-Gitea-Event", "issue_comment");
  EXPECT_EQ(only(webhooks, older).kind, sdk::ForgeEventKind::Comment);
  std::string issue = fixture("issue_comment_created.json");
  issue.replace(issue.find("\"is_pull\": true"), 15, "\"is_pull\": false");
  const std::string pullRequest = "\"pull_request\": {\"merged\": false, \"merged_at\": null}";
  issue.replace(issue.find(pullRequest), pullRequest.size(), "\"pull_request\": null");
  EXPECT_EQ(only(webhooks, delivery("issue_comment", issue, "s")).kind, sdk::ForgeEventKind::Other);
}

TEST(GiteaWebhooksTest, ReviewsAreApprovalsOrChangeRequests) {
  GiteaWebhooks webhooks(sdk::Secret("s"), false, "");
  const std::string body = fixture("pull_request_review_approved.json");
  const auto approved = only(webhooks, delivery("pull_request_review_approved", body, "s"));
  EXPECT_EQ(approved.kind, sdk::ForgeEventKind::ReviewSubmitted);
  EXPECT_EQ(approved.reviewState, "approved");
  EXPECT_EQ(approved.reviewer, "bob");
  const auto rejected = only(webhooks, delivery("pull_request_review_rejected", body, "s"));
  EXPECT_EQ(rejected.reviewState, "changes_requested");
}

TEST(GiteaWebhooksTest, MalformedDeliveriesAreErrors) {
  GiteaWebhooks webhooks(sdk::Secret("s"), false, "");
  for (const std::string body : {"not json", "[1,2]", R"({"action":"opened"})",
                                 R"({"action":"opened","pull_request":{"number":1},"repository":{"name":"x"}})"}) {
    auto events = webhooks.parse(delivery("pull_request", body, "s"));
    ASSERT_FALSE(events) << body;
    EXPECT_EQ(events.error().code(), sdk::ErrorCode::WebhookMalformed) << body;
  }
  sdk::WebhookRequest untyped;
  untyped.body = "{}";
  EXPECT_FALSE(webhooks.parse(untyped));
}

}  // namespace
}  // namespace ekaci::gitea
