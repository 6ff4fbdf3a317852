// The settings a forge instance's plugin gets: its block, and [security]'s one webhook
// secret for every forge unless the instance has its own.
#include "kernel/forge/ForgeInstances.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

TEST(ForgeInstancesTest, AnInstanceGetsItsBlockAndTheSharedWebhookSecret) {
  config::ServerConfig config;
  config.security.webhookSecret = sdk::Secret("shared");
  config::ForgeInstanceConfig gitea;
  gitea.id = "gitea";
  gitea.type = "gitea";
  gitea.settings = sdk::Value::table();
  gitea.settings.set("domain", sdk::Value::string("git.example.org"));
  gitea.settings.set("token", sdk::Value::string("t"));
  const sdk::Value settings = ForgeInstances::settingsOf(gitea, config);
  EXPECT_EQ(settings.find("domain")->asString(), "git.example.org");
  EXPECT_EQ(settings.find("token")->asString(), "t");
  EXPECT_EQ(settings.find("webhook_secret")->asString(), "shared");
  EXPECT_FALSE(settings.find("allow_insecure_webhooks")->asBool());

  config::ForgeInstanceConfig own = gitea;
  own.settings.set("webhook_secret", sdk::Value::string("mine"));
  config.security.allowInsecureWebhooks = true;
  const sdk::Value mine = ForgeInstances::settingsOf(own, config);
  EXPECT_EQ(mine.find("webhook_secret")->asString(), "mine") << "an instance's own secret wins";
  EXPECT_TRUE(mine.find("allow_insecure_webhooks")->asBool());
}

}  // namespace
}  // namespace ekaci::forge
