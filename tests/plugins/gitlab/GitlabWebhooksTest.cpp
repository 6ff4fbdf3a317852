// GitLab deliveries: X-Gitlab-Token is checked before anything is parsed, and payloads
// shaped as GitLab documents them become the events the kernel acts on.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "GitlabWebhooks.h"

namespace ekaci::gitlab {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(EKACI_SOURCE_DIR) + "/tests/data/gitlab/" + name);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

sdk::WebhookRequest delivery(const std::string& event, const std::string& body, const std::string& token) {
  sdk::WebhookRequest request;
  request.body = body;
  request.path = "/gitlab/webhook";
  request.headers = {{"X-Gitlab-Event", event}, {"X-Gitlab-Event-UUID", "8f1c-2"}};
  if (!token.empty()) request.headers.emplace_back("X-Gitlab-Token", token);
  return request;
}

sdk::ForgeEvent only(const GitlabWebhooks& webhooks, const sdk::WebhookRequest& request) {
  auto events = webhooks.parse(request);
  EXPECT_TRUE(events) << events.error().describe();
  if (!events || events->size() != 1) return {};
  return events->front();
}

TEST(GitlabWebhooksTest, OnlyTheSecretTokenPasses) {
  GitlabWebhooks webhooks(sdk::Secret("s3cret"), false, "");
  const std::string body = fixture("merge_request_open.json");
  ASSERT_FALSE(body.empty());
  EXPECT_TRUE(webhooks.verify(delivery("Merge Request Hook", body, "s3cret")));
  auto missing = webhooks.verify(delivery("Merge Request Hook", body, ""));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::WebhookSignatureMissing);
  for (const std::string wrong : {"s3cre", "s3cret2", "S3CRET", "s3cret "}) {
    auto refused = webhooks.verify(delivery("Merge Request Hook", body, wrong));
    ASSERT_FALSE(refused) << wrong;
    EXPECT_EQ(refused.error().code(), sdk::ErrorCode::WebhookSignatureInvalid);
  }
  GitlabWebhooks unconfigured(std::nullopt, false, "");
  EXPECT_FALSE(unconfigured.verify(delivery("Merge Request Hook", body, "s3cret")));
}

TEST(GitlabWebhooksTest, AMergeRequestOpenedIsReviewable) {
  GitlabWebhooks webhooks(sdk::Secret("s"), false, "");
  const auto e = only(webhooks, delivery("Merge Request Hook", fixture("merge_request_open.json"), "s"));
  EXPECT_EQ(e.kind, sdk::ForgeEventKind::ChangeRequestOpened);
  EXPECT_EQ(e.deliveryId, "8f1c-2");
  EXPECT_EQ(e.repository.owner, "nix/infra") << "a namespace keeps its subgroups";
  EXPECT_EQ(e.repository.name, "pkgs");
  EXPECT_EQ(e.repository.projectId, "14");
  EXPECT_EQ(e.repository.cloneUrl, "https://gitlab.example.org/nix/infra/pkgs.git");
  EXPECT_EQ(e.changeRequest.number, 3u);
  EXPECT_EQ(e.changeRequest.author, "alice");
  EXPECT_EQ(e.changeRequest.baseBranch, "main");
  EXPECT_EQ(e.changeRequest.baseSha, "") << "GitLab names no target commit";
  EXPECT_EQ(e.changeRequest.headSha, "3333333333333333333333333333333333333333");
  EXPECT_FALSE(e.changeRequest.fromFork);
}

TEST(GitlabWebhooksTest, AnUpdateWithNewCommitsIsAPushAndOneWithoutIsAnEdit) {
  GitlabWebhooks webhooks(sdk::Secret("s"), false, "");
  const auto pushed = only(webhooks, delivery("Merge Request Hook", fixture("merge_request_update.json"), "s"));
  EXPECT_EQ(pushed.kind, sdk::ForgeEventKind::ChangeRequestUpdated);
  EXPECT_EQ(pushed.changeRequest.headSha, "4444444444444444444444444444444444444444");
  std::string edited = fixture("merge_request_update.json");
  edited.replace(edited.find("\"oldrev\""), 8, "\"no_rev\"");
  EXPECT_EQ(only(webhooks, delivery("Merge Request Hook", edited, "s")).kind, sdk::ForgeEventKind::ChangeRequestEdited);

  std::string body = fixture("merge_request_open.json");
  auto with = [&](const std::string& action) {
    std::string b = body;
    b.replace(b.find("\"action\": \"open\""), 16, "\"action\": \"" + action + "\"");
    return only(webhooks, delivery("Merge Request Hook", b, "s"));
  };
  EXPECT_EQ(with("reopen").kind, sdk::ForgeEventKind::ChangeRequestReopened);
  EXPECT_EQ(with("close").kind, sdk::ForgeEventKind::ChangeRequestClosed);
  EXPECT_EQ(with("merge").kind, sdk::ForgeEventKind::ChangeRequestMerged);
  EXPECT_EQ(with("approved").reviewState, "approved");
  EXPECT_EQ(with("unapproved").kind, sdk::ForgeEventKind::ReviewDismissed);
  EXPECT_EQ(with("unknown_future_action").kind, sdk::ForgeEventKind::Other);
}

TEST(GitlabWebhooksTest, ANoteOnAMergeRequestIsACommentWithItsAuthorAndTime) {
  GitlabWebhooks webhooks(sdk::Secret("s"), false, "");
  const auto e = only(webhooks, delivery("Note Hook", fixture("note_merge_request.json"), "s"));
  EXPECT_EQ(e.kind, sdk::ForgeEventKind::Comment);
  EXPECT_EQ(e.changeRequest.number, 3u);
  EXPECT_EQ(e.commentId, 1244u);
  EXPECT_EQ(e.commentAuthor, "bob");
  EXPECT_EQ(e.commentAuthorId, "60");
  EXPECT_EQ(e.commentBody, "@eka-ci merge");
  EXPECT_EQ(e.commentCreatedAt, 1714564800);
  EXPECT_EQ(e.changeRequest.author, "") << "the acting user of a note is not the merge request's author";

  std::string onIssue = fixture("note_merge_request.json");
  onIssue.replace(onIssue.find("\"MergeRequest\""), 14, "\"Issue\"");
  EXPECT_EQ(only(webhooks, delivery("Note Hook", onIssue, "s")).kind, sdk::ForgeEventKind::Other);
  std::string edited = fixture("note_merge_request.json");
  edited.replace(edited.find("\"action\": \"create\""), 18, "\"action\": \"update\"");
  EXPECT_EQ(only(webhooks, delivery("Note Hook", edited, "s")).kind, sdk::ForgeEventKind::Other)
      << "editing an old note is not a new command";
}

TEST(GitlabWebhooksTest, MalformedDeliveriesAreErrors) {
  GitlabWebhooks webhooks(sdk::Secret("s"), false, "");
  for (const std::string body : {"not json", "[]", R"({"object_kind":"merge_request"})",
                                 R"({"project":{"path_with_namespace":"a/b"},"object_attributes":{"iid":1}})"}) {
    auto events = webhooks.parse(delivery("Merge Request Hook", body, "s"));
    ASSERT_FALSE(events) << body;
    EXPECT_EQ(events.error().code(), sdk::ErrorCode::WebhookMalformed) << body;
  }
  sdk::WebhookRequest unnamed;
  unnamed.body = "{}";
  EXPECT_FALSE(webhooks.parse(unnamed));
}

}  // namespace
}  // namespace ekaci::gitlab
