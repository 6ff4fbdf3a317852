// Tokens as the manual writes them, or through a credential source.
#include "forgekit/AccessToken.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::forgekit {
namespace {

TEST(AccessTokenTest, APlainTokenIsUsedAsWritten) {
  sdk::testing::FakeHostServices host;
  sdk::Value settings = sdk::Value::table();
  settings.set("token", sdk::Value::string("glpat-plain"));
  auto token = AccessToken::fromSettings(settings, "GITLAB_TOKEN", host);
  EXPECT_TRUE(token->configured());
  auto text = token->reveal();
  ASSERT_TRUE(text) << text.error().describe();
  EXPECT_EQ(*text, "glpat-plain");
}

TEST(AccessTokenTest, NoTokenIsAnAuthenticationError) {
  sdk::testing::FakeHostServices host;
  auto token = AccessToken::fromSettings(sdk::Value::table(), "GITEA_TOKEN", host);
  EXPECT_FALSE(token->configured());
  auto text = token->reveal();
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), sdk::ErrorCode::ForgeAuthentication);
  EXPECT_NE(text.error().message().find("GITEA_TOKEN"), std::string::npos);
}

}  // namespace
}  // namespace ekaci::forgekit

namespace ekaci::forgekit {
namespace {

TEST(AccessTokenTest, ATokenFromACredentialSourceIsFetchedOnceAndReused) {
  sdk::testing::FakeHostServices host;
  host.fakeSecrets().provide("env", {{"GITEA_TOKEN", "from-the-source"}});
  sdk::Value vars = sdk::Value::table();
  vars.set("vars", sdk::Value::stringList({"GITEA_TOKEN"}));
  sdk::Value credentials = sdk::Value::table();
  credentials.set("env", std::move(vars));
  sdk::Value settings = sdk::Value::table();
  settings.set("credentials", std::move(credentials));
  auto token = AccessToken::fromSettings(settings, "GITEA_TOKEN", host);
  ASSERT_TRUE(token->configured());
  EXPECT_EQ(token->reveal().valueOr(""), "from-the-source");
  EXPECT_EQ(token->reveal().valueOr(""), "from-the-source");
  EXPECT_EQ(host.fakeSecrets().resolveCount(), 1u);
}

TEST(AccessTokenTest, CredentialsWithoutTheTokenAreRefused) {
  sdk::testing::FakeHostServices host;
  host.fakeSecrets().provide("env", {{"OTHER", "x"}});
  sdk::Value credentials = sdk::Value::table();
  credentials.set("env", sdk::Value::table());
  AccessToken token(std::nullopt, std::move(credentials), "GITLAB_TOKEN", host);
  auto text = token.reveal();
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), sdk::ErrorCode::ConfigMissingKey);
}

}  // namespace
}  // namespace ekaci::forgekit
