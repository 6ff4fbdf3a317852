#include "ekaci/sdk/testing/ForgeConformance.h"

namespace ekaci::sdk::testing {

bool forgeConformanceLinked() { return true; }

namespace {
std::unique_ptr<Forge> mustMake(const ForgeSubject& subject, FakeHostServices& host) {
  auto made = subject.make(host);
  if (!made) ADD_FAILURE() << "create failed: " << made.error().describe();
  return made ? std::move(made).value() : nullptr;
}
}  // namespace

TEST_P(ForgeConformance, AcceptsAnAuthenticatedDelivery) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto verified = forge->verifyWebhook(GetParam().signedOpenedDelivery());
  EXPECT_TRUE(verified) << verified.error().describe();
}

TEST_P(ForgeConformance, RejectsAnUnauthenticatedDelivery) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto verified = forge->verifyWebhook(GetParam().unsignedDelivery());
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code(), ErrorCode::WebhookSignatureMissing);
}

TEST_P(ForgeConformance, RejectsATamperedBody) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  WebhookRequest tampered = GetParam().signedOpenedDelivery();
  ASSERT_FALSE(tampered.body.empty());
  tampered.body.back() = tampered.body.back() == 'x' ? 'y' : 'x';
  tampered.body += " ";
  auto verified = forge->verifyWebhook(tampered);
  if (!GetParam().signsBody) {
    // Token-based forges (GitLab) authenticate the sender, not the body.
    GTEST_SKIP() << "this forge does not sign bodies";
  }
  ASSERT_FALSE(verified) << "a modified body must not verify";
  EXPECT_EQ(verified.error().code(), ErrorCode::WebhookSignatureInvalid);
}

TEST_P(ForgeConformance, ParsesAnOpenedChangeRequest) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto events = forge->parseWebhook(GetParam().signedOpenedDelivery());
  ASSERT_TRUE(events) << events.error().describe();
  ASSERT_EQ(events->size(), 1u);
  const ForgeEvent& event = events->front();
  EXPECT_EQ(event.kind, ForgeEventKind::ChangeRequestOpened);
  EXPECT_GT(event.changeRequest.number, 0u);
  EXPECT_FALSE(event.changeRequest.headSha.empty());
}

TEST_P(ForgeConformance, MalformedBodyIsAnError) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto events = forge->parseWebhook(GetParam().signedMalformedDelivery());
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code(), ErrorCode::WebhookMalformed);
}

TEST_P(ForgeConformance, ReportsEveryCommitState) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  for (CommitState state : {CommitState::Pending, CommitState::Running, CommitState::Success, CommitState::Failure,
                            CommitState::Error, CommitState::Cancelled, CommitState::Skipped, CommitState::Neutral}) {
    StatusReport report;
    report.name = "eka-ci/conformance";
    report.state = state;
    report.title = "state " + std::to_string(static_cast<int>(state));
    report.summary = "summary";
    auto id = forge->report(GetParam().repository, GetParam().changeRequest.headSha, report);
    EXPECT_TRUE(id) << "state " << static_cast<int>(state) << ": " << id.error().describe();
  }
}

TEST_P(ForgeConformance, MergeRefusesAStaleHead) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto merged = forge->merge(GetParam().changeRequest, MergeMethod::Squash, "0000000000000000000000000000000000000000");
  EXPECT_FALSE(merged) << "a merge must not go through when the head moved";
}

}  // namespace ekaci::sdk::testing
