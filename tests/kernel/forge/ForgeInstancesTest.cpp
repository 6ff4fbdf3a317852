// The settings a Gitea or GitLab instance's plugin gets: its block, and [security]'s one
// webhook secret for every forge unless the instance has its own.
#include "kernel/forge/ForgeInstances.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

TEST(ForgeInstancesTest, AnInstanceGetsItsBlockAndTheSharedWebhookSecret) {
  config::ServerConfig config;
  config.security.webhookSecret = sdk::Secret("shared");
  config::ForgeDomainConfig gitea;
  gitea.domain = "git.example.org";
  gitea.apiUrl = "http://127.0.0.1:3000/api/v1";
  gitea.token = sdk::Secret("t");
  const sdk::Value settings = ForgeInstances::domainSettings(gitea, config);
  EXPECT_EQ(settings.find("domain")->asString(), "git.example.org");
  EXPECT_EQ(settings.find("api_url")->asString(), "http://127.0.0.1:3000/api/v1");
  EXPECT_EQ(settings.find("token")->asString(), "t");
  EXPECT_EQ(settings.find("webhook_secret")->asString(), "shared");
  EXPECT_FALSE(settings.find("allow_insecure_webhooks")->asBool());
  EXPECT_EQ(settings.find("credentials"), nullptr);

  config::ForgeDomainConfig own;
  own.domain = "gitlab.example.org";
  own.webhookSecret = sdk::Secret("mine");
  own.tokenType = "oauth";
  sdk::Value vars = sdk::Value::table();
  vars.set("vars", sdk::Value::stringList({"GITLAB_TOKEN"}));
  own.credentials = sdk::Value::table();
  own.credentials.set("env", vars);
  const sdk::Value mine = ForgeInstances::domainSettings(own, config);
  EXPECT_EQ(mine.find("webhook_secret")->asString(), "mine") << "an instance's own secret wins";
  EXPECT_EQ(mine.find("token_type")->asString(), "oauth");
  EXPECT_TRUE(mine.find("credentials")->isTable());
  EXPECT_EQ(mine.find("token"), nullptr);
}

}  // namespace
}  // namespace ekaci::forge
