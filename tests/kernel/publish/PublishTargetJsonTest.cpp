#include "kernel/publish/PublishTargetJson.h"

#include <gtest/gtest.h>

namespace ekaci::publish {
namespace {

TEST(PublishTargetJsonTest, ATargetComesBackAsItWasSaved) {
  PublishTarget target;
  target.repository = "acme/pkgs";
  target.branch = "pull/12";
  target.commitSha = "0123456789abcdef0123456789abcdef01234567";
  target.jobName = "packages";
  target.caches = {"main", "s3"};
  target.postBuildHooks = {config::HookConfig{"sign", {"sign-paths", "$OUT_PATHS"}, {{"KEY", "v\"1\\n"}}}};
  target.fodPostBuildHooks = {config::HookConfig{"fod", {"true"}, {}}};
  auto back = PublishTargetJson::decode(PublishTargetJson::encode(target));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->repository, target.repository);
  EXPECT_EQ(back->branch, target.branch);
  EXPECT_EQ(back->commitSha, target.commitSha);
  EXPECT_EQ(back->jobName, target.jobName);
  EXPECT_EQ(back->caches, target.caches);
  ASSERT_EQ(back->postBuildHooks.size(), 1u);
  EXPECT_EQ(back->postBuildHooks[0].name, "sign");
  EXPECT_EQ(back->postBuildHooks[0].command, target.postBuildHooks[0].command);
  EXPECT_EQ(back->postBuildHooks[0].env, target.postBuildHooks[0].env);
  ASSERT_EQ(back->fodPostBuildHooks.size(), 1u);
  EXPECT_EQ(back->fodPostBuildHooks[0].command, std::vector<std::string>{"true"});
}

TEST(PublishTargetJsonTest, DamagedTextIsAnErrorNotACrash) {
  for (const char* text : {"", "{", "[]", R"({"repository": 3})", R"({"repository":"a"})"}) {
    auto decoded = PublishTargetJson::decode(text);
    EXPECT_FALSE(decoded) << text;
  }
}

}  // namespace
}  // namespace ekaci::publish
