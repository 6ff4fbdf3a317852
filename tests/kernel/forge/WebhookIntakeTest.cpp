// The webhook intake: nothing is parsed before it is verified, nothing is acknowledged
// before it is stored, a delivery id is processed once.
#include "kernel/forge/WebhookIntake.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "ekaci/sdk/testing/ManualClock.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/kernel/forge/ScriptedForge.h"
#include "tests/support/TempDir.h"

namespace ekaci::forge {
namespace {

class WebhookIntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::SqliteStorage::open(dir_.path() / "db.sqlite").value();
    instance_.id = "gh";
    auto forge = std::make_unique<testing::ScriptedForge>();
    forge_ = forge.get();
    instance_.forge = std::move(forge);
    intake_ = std::make_unique<WebhookIntake>(WebhookIntake::Services{*storage_, metrics_, logger_, clock_},
                                              [this] { ++wakes_; });
  }
  WebhookIntake::Reply post(const std::string& signature, const std::string& delivery, const std::string& body = "{}") {
    std::vector<std::pair<std::string, std::string>> headers = {{"x-delivery", delivery}};
    if (!signature.empty()) headers.emplace_back("x-signature", signature);
    return intake_->receive(instance_, headers, body, "/scripted/webhook");
  }
  std::size_t stored() { return storage_->pendingForgeEvents(1000).value().size(); }

  testsupport::TempDir dir_;
  std::unique_ptr<storage::SqliteStorage> storage_;
  ForgeInstances::Instance instance_;
  testing::ScriptedForge* forge_ = nullptr;
  sdk::testing::InMemoryMetrics metrics_;
  sdk::testing::CapturingLogger logger_;
  sdk::testing::ManualClock clock_;
  std::unique_ptr<WebhookIntake> intake_;
  int wakes_ = 0;
};

TEST_F(WebhookIntakeTest, AVerifiedDeliveryIsStoredThenAcknowledged) {
  auto reply = post("good", "d-1");
  EXPECT_EQ(reply.status, 202) << reply.body;
  EXPECT_EQ(stored(), 1u);
  EXPECT_EQ(wakes_, 1);
  EXPECT_EQ(metrics_.value("webhook_signature_verified_total"), 1.0);
  EXPECT_EQ(metrics_.value("webhook_events_total", {{"forge", "gh"}, {"event", "ping"}, {"action", ""}}), 1.0);
  EXPECT_EQ(metrics_.observations("webhook_processing_seconds").size(), 1u);
}

TEST_F(WebhookIntakeTest, UnsignedAndBadlySignedDeliveriesAreRefusedBeforeParsing) {
  EXPECT_EQ(post("", "d-1").status, 401);
  EXPECT_EQ(post("forged", "d-2").status, 401);
  EXPECT_EQ(forge_->parses, 0) << "parsed before verification";
  EXPECT_EQ(stored(), 0u);
  EXPECT_EQ(wakes_, 0);
  EXPECT_EQ(metrics_.value("webhook_signature_failures_total", {{"reason", "missing"}}), 1.0);
  EXPECT_EQ(metrics_.value("webhook_signature_failures_total", {{"reason", "invalid"}}), 1.0);
}

TEST_F(WebhookIntakeTest, ARedeliveryIsAcknowledgedAndIgnored) {
  EXPECT_EQ(post("good", "d-1").status, 202);
  auto again = post("good", "d-1");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("duplicate"), std::string::npos);
  EXPECT_EQ(stored(), 1u);
  EXPECT_EQ(wakes_, 1);
  EXPECT_EQ(metrics_.value("webhook_duplicates_total"), 1.0);
  // Without a delivery id, the same body is the same delivery.
  EXPECT_EQ(post("good", "", "{\"a\":1}").status, 202);
  EXPECT_EQ(post("good", "", "{\"a\":1}").status, 200);
  EXPECT_EQ(stored(), 2u);
}

TEST_F(WebhookIntakeTest, OversizedAndMalformedDeliveriesChangeNothing) {
  EXPECT_EQ(post("good", "big", std::string(WebhookIntake::kMaxBodyBytes + 1, 'x')).status, 413);
  EXPECT_EQ(forge_->parses, 0);
  EXPECT_EQ(post("good", "bad", "malformed").status, 400);
  EXPECT_EQ(stored(), 0u);
  EXPECT_EQ(metrics_.value("webhook_rejected_total", {{"reason", "too_large"}}), 1.0);
  EXPECT_EQ(metrics_.value("webhook_rejected_total", {{"reason", "malformed"}}), 1.0);
}

}  // namespace
}  // namespace ekaci::forge
