#include "kernel/forge/ForgeJson.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

TEST(ForgeJsonTest, AnEventSurvivesStorageWhole) {
  sdk::ForgeEvent e;
  e.kind = sdk::ForgeEventKind::ChangeRequestUpdated;
  e.deliveryId = "d-1";
  e.eventName = "pull_request";
  e.action = "synchronize";
  e.installationId = "77";
  e.changeRequest.repository = {"github", "octo", "pkgs", "https://x/octo/pkgs.git", "main", "12", "77"};
  e.changeRequest.number = 42;
  e.changeRequest.title = "bump \"zlib\"\n";
  e.changeRequest.author = "stranger";
  e.changeRequest.baseSha = "aaa";
  e.changeRequest.headSha = "bbb";
  e.changeRequest.headCloneUrl = "https://x/stranger/pkgs.git";
  e.changeRequest.fromFork = true;
  e.changeRequest.draft = true;
  e.repository = e.changeRequest.repository;
  e.commentId = 9;
  e.commentBody = "@eka-ci merge";
  e.baseChanged = true;
  e.reportId = "1001";
  e.installationRepositories.push_back({"github", "octo", "other", "", "", "", ""});
  e.installationRemoved = true;
  auto back = ForgeJson::decodeEvent(ForgeJson::encode(e));
  ASSERT_TRUE(back) << back.error().describe();
  EXPECT_EQ(back->kind, e.kind);
  EXPECT_EQ(back->changeRequest.title, e.changeRequest.title);
  EXPECT_EQ(back->changeRequest.number, 42u);
  EXPECT_EQ(back->changeRequest.repository.installationId, "77");
  EXPECT_EQ(back->changeRequest.headCloneUrl, e.changeRequest.headCloneUrl);
  EXPECT_TRUE(back->changeRequest.fromFork);
  EXPECT_TRUE(back->changeRequest.draft);
  EXPECT_EQ(back->commentBody, e.commentBody);
  EXPECT_TRUE(back->baseChanged);
  EXPECT_EQ(back->reportId, "1001");
  ASSERT_EQ(back->installationRepositories.size(), 1u);
  EXPECT_EQ(back->installationRepositories[0].name, "other");
  EXPECT_TRUE(back->installationRemoved);
}

TEST(ForgeJsonTest, EveryKindAndStateHasAStableName) {
  for (int k = 0; k <= static_cast<int>(sdk::ForgeEventKind::Other); ++k) {
    auto kind = static_cast<sdk::ForgeEventKind>(k);
    auto back = ForgeJson::kindOf(ForgeJson::kindName(kind));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, kind);
  }
  for (int s = 0; s <= static_cast<int>(sdk::CommitState::Neutral); ++s) {
    auto state = static_cast<sdk::CommitState>(s);
    EXPECT_EQ(*ForgeJson::stateOf(ForgeJson::stateName(state)), state);
  }
  EXPECT_FALSE(ForgeJson::kindOf("nonsense"));
  EXPECT_FALSE(ForgeJson::decodeEvent("not json"));
  EXPECT_FALSE(ForgeJson::decodeOutgoing(R"({"repository":{}})"));
}

}  // namespace
}  // namespace ekaci::forge
