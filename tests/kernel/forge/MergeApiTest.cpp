// The merge documents of the API and the socket: eligibility with the manual's fields, and
// writes only for those who may merge.
#include "kernel/forge/MergeApi.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "tests/kernel/forge/MergeFixture.h"

namespace ekaci::forge {
namespace {

using testing::kHead;
using testing::kHello;

class MergeApiTest : public testing::MergeFixture {
 protected:
  void SetUp() override {
    MergeFixture::SetUp();
    api_ = std::make_unique<MergeApi>(*storage_, *merger_, *authority_, clock_);
  }
  Poco::JSON::Object::Ptr eligibility() {
    auto json = api_->eligibility("o", "r", "7");
    EXPECT_TRUE(json) << json.error().describe();
    Poco::JSON::Parser parser;
    return parser.parse(json ? *json : "{}").extract<Poco::JSON::Object::Ptr>();
  }
  std::unique_ptr<MergeApi> api_;
};

TEST_F(MergeApiTest, EligibilityHasTheManualsFieldsAndSaysWhyNot) {
  reviewDone(kHead, true, kHello);
  auto e = eligibility();
  for (const char* field : {"eligible", "auto_merge_enabled", "gates_passed", "has_maintainer_approvals",
                            "changed_packages", "missing_approvals"}) {
    EXPECT_TRUE(e->has(field)) << field;
  }
  EXPECT_FALSE(e->getValue<bool>("eligible"));
  EXPECT_TRUE(e->getValue<bool>("gates_passed"));
  EXPECT_EQ(e->getValue<std::string>("reason"), "no merge was asked for");
  EXPECT_EQ(e->getArray("changed_packages")->getElement<std::string>(0), "hello");
  EXPECT_EQ(e->getArray("missing_approvals")->getElement<std::string>(0), "hello");
  EXPECT_EQ(api_->eligibility("o", "r", "8").error().code(), sdk::ErrorCode::NotFound);
  EXPECT_EQ(api_->eligibility("o", "r", "x").error().code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(api_->eligibility("o", "r", "-1").error().code(), sdk::ErrorCode::InvalidArgument);
}

TEST_F(MergeApiTest, OnlyThoseWhoMayMergeEnableAutoMergeAndItWaitsForTheMaintainersApproval) {
  reviewDone(kHead, true, kHello);
  auto denied = api_->enableAutoMerge("o", "r", "7", "", MergeApi::Actor{"reader", false});
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code(), sdk::ErrorCode::PermissionDenied);
  EXPECT_FALSE(api_->enableAutoMerge("o", "r", "7", "", MergeApi::Actor{"", false})) << "nobody";
  EXPECT_EQ(api_->enableAutoMerge("o", "r", "7", R"({"merge_method":"octopus"})", MergeApi::Actor{"writer", false})
                .error()
                .code(),
            sdk::ErrorCode::InvalidArgument);

  auto enabled = api_->enableAutoMerge("o", "r", "7", R"({"merge_method":"rebase"})", MergeApi::Actor{"alice", false});
  ASSERT_TRUE(enabled) << enabled.error().describe();
  EXPECT_NE(enabled->find("\"merged\":false"), std::string::npos) << "alice's approval is missing";
  EXPECT_TRUE(eligibility()->getValue<bool>("auto_merge_enabled"));
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"alice", kHead, 1}, true));
  EXPECT_TRUE(*merger_->evaluate("gh", "o", "r", 7));
  ASSERT_EQ(forge_->of("merge").size(), 1u);
  EXPECT_EQ(forge_->of("merge")[0].text, std::string("rebase ") + kHead);
}

TEST_F(MergeApiTest, DisablingStopsAutoMerge) {
  reviewDone(kHead, true, kHello);
  ASSERT_TRUE(api_->enableAutoMerge("o", "r", "7", "", MergeApi::Actor{"writer", false}));
  ASSERT_TRUE(api_->disableAutoMerge("o", "r", "7", MergeApi::Actor{"writer", false}));
  ASSERT_TRUE(storage_->setApproval("gh", "o/r", 7, {"alice", kHead, 1}, true));
  EXPECT_FALSE(*merger_->evaluate("gh", "o", "r", 7));
  EXPECT_FALSE(api_->disableAutoMerge("o", "r", "7", MergeApi::Actor{"reader", false}));
}

TEST_F(MergeApiTest, MergingNowStillNeedsThePassedReview) {
  auto early = api_->merge("o", "r", "7", "", MergeApi::Actor{"", true});
  ASSERT_FALSE(early);
  EXPECT_NE(early.error().message().find("has not concluded"), std::string::npos) << early.error().message();
  reviewDone(kHead, true, kHello);
  ASSERT_TRUE(api_->merge("o", "r", "7", R"({"merge_method":"merge"})", MergeApi::Actor{"", true}));
  EXPECT_EQ(forge_->of("merge")[0].text, std::string("merge ") + kHead);
  EXPECT_EQ(request()->mergedBy, "admin");
}

TEST_F(MergeApiTest, TheMaintainersTableTakesOnlyAttributePathsAndLogins) {
  ASSERT_TRUE(api_->setMaintainer("python3Packages.requests", "alice", true));
  auto listed = api_->maintainers("python3Packages.requests");
  ASSERT_TRUE(listed);
  EXPECT_NE(listed->find("\"source\":\"admin\""), std::string::npos) << *listed;
  EXPECT_FALSE(api_->setMaintainer("hello", "alice; DROP TABLE", true));
  EXPECT_FALSE(api_->setMaintainer("hello world", "alice", true));
  EXPECT_FALSE(api_->setMaintainer("", "alice", true));
  ASSERT_TRUE(api_->setMaintainer("python3Packages.requests", "alice", false));
  EXPECT_EQ(*api_->maintainers("python3Packages.requests"), R"({"maintainers":[]})");
}

}  // namespace
}  // namespace ekaci::forge
