#include "ekaci/sdk/testing/ForgeConformance.h"

#include "ekaci/sdk/testing/StartedInstance.h"

namespace ekaci::sdk::testing {

bool forgeConformanceLinked() {
  return true;
}

namespace {
StartedInstance<Forge> mustMake(const ForgeSubject& subject, FakeHostServices& host) {
  return startedOrFail(subject.make(host));
}
}  // namespace

TEST_P(ForgeConformance, AcceptsAnAuthenticatedDelivery) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto verified = forge->webhooks().verify(GetParam().signedOpenedDelivery());
  EXPECT_TRUE(verified) << verified.error().describe();
}

TEST_P(ForgeConformance, RejectsAnUnauthenticatedDelivery) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto verified = forge->webhooks().verify(GetParam().unsignedDelivery());
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
  auto verified = forge->webhooks().verify(tampered);
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
  auto events = forge->webhooks().parse(GetParam().signedOpenedDelivery());
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
  auto events = forge->webhooks().parse(GetParam().signedMalformedDelivery());
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().code(), ErrorCode::WebhookMalformed);
}

TEST_P(ForgeConformance, AnEventItDoesNotActOnIsOtherNotAnError) {
  if (!GetParam().signedUnknownDelivery) GTEST_SKIP() << "the subject has no such delivery";
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  auto events = forge->webhooks().parse(GetParam().signedUnknownDelivery());
  ASSERT_TRUE(events) << events.error().describe();
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().kind, ForgeEventKind::Other);
  EXPECT_FALSE(events->front().eventName.empty()) << "named, so that it can be counted";
}

TEST_P(ForgeConformance, ReportsEveryCommitState) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  if (forge->reports() == nullptr) GTEST_SKIP() << "this forge has no reports";
  for (CommitState state : {CommitState::Pending, CommitState::Running, CommitState::Success, CommitState::Failure,
                            CommitState::Error, CommitState::Cancelled, CommitState::Skipped, CommitState::Neutral}) {
    StatusReport report;
    report.name = "eka-ci/conformance";
    report.state = state;
    report.title = "state " + std::to_string(static_cast<int>(state));
    report.summary = "summary";
    auto id = forge->reports()->publish(GetParam().repository, GetParam().changeRequest.headSha, report, "");
    EXPECT_TRUE(id) << "state " << static_cast<int>(state) << ": " << id.error().describe();
  }
}

// An update names the report it changes: the same id comes back and no second report appears.
TEST_P(ForgeConformance, AReportIsUpdatedInPlaceAndListed) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  if (forge->reports() == nullptr) GTEST_SKIP() << "this forge has no reports";
  auto& reports = *forge->reports();
  const auto& sha = GetParam().changeRequest.headSha;
  StatusReport report;
  report.name = "EkaCI: Evaluate Job (conformance)";
  report.state = CommitState::Running;
  report.externalId = "jobset-1";
  auto id = reports.publish(GetParam().repository, sha, report, "");
  ASSERT_TRUE(id) << id.error().describe();
  report.state = CommitState::Success;
  auto again = reports.publish(GetParam().repository, sha, report, *id);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(*again, *id);
  auto listed = reports.list(GetParam().repository, sha);
  ASSERT_TRUE(listed) << listed.error().describe();
  std::size_t named = 0;
  for (const auto& published : *listed) {
    if (published.name != report.name) continue;
    ++named;
    EXPECT_EQ(published.id, *id);
    EXPECT_EQ(published.state, CommitState::Success);
  }
  EXPECT_EQ(named, 1u);
}

TEST_P(ForgeConformance, ACancelledReportIsListedCancelled) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  if (forge->reports() == nullptr) GTEST_SKIP() << "this forge has no reports";
  auto& reports = *forge->reports();
  const auto& sha = GetParam().changeRequest.headSha;
  StatusReport report;
  report.name = "EkaCI: Evaluate Job (superseded)";
  report.state = CommitState::Pending;
  auto id = reports.publish(GetParam().repository, sha, report, "");
  ASSERT_TRUE(id) << id.error().describe();
  auto cancelled = reports.cancel(GetParam().repository, sha, PublishedReport{*id, report.name, report.state, ""});
  ASSERT_TRUE(cancelled) << cancelled.error().describe();
  auto listed = reports.list(GetParam().repository, sha);
  ASSERT_TRUE(listed) << listed.error().describe();
  bool found = false;
  for (const auto& published : *listed) {
    if (published.id != *id) continue;
    found = true;
    EXPECT_TRUE(published.state == CommitState::Cancelled || published.state == CommitState::Neutral);
  }
  EXPECT_TRUE(found);
}

TEST_P(ForgeConformance, ACommentIsEditedInPlace) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  if (forge->comments() == nullptr) GTEST_SKIP() << "this forge has no comments";
  auto& comments = *forge->comments();
  auto id = comments.create(GetParam().changeRequest, "first");
  ASSERT_TRUE(id) << id.error().describe();
  auto edited = comments.edit(GetParam().changeRequest, *id, "second");
  EXPECT_TRUE(edited) << edited.error().describe();
  EXPECT_FALSE(comments.edit(GetParam().changeRequest, *id + 1000000, "nobody's")) << "an unknown comment";
}

TEST_P(ForgeConformance, MergeRefusesAStaleHead) {
  auto forge = mustMake(GetParam(), host_);
  ASSERT_TRUE(forge);
  if (forge->merges() == nullptr) GTEST_SKIP() << "this forge cannot merge";
  auto merged =
      forge->merges()->merge(GetParam().changeRequest, MergeMethod::Squash, "0000000000000000000000000000000000000000");
  EXPECT_FALSE(merged) << "a merge must not go through when the head moved";
}

}  // namespace ekaci::sdk::testing
