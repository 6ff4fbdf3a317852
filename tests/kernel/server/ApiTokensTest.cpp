// Bearer tokens of the HTTP API: what one names, and the forgeries and leftovers refused.
#include "kernel/server/ApiTokens.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/ManualClock.h"

namespace ekaci::server {
namespace {

TEST(ApiTokensTest, ATokenNamesItsUserAndWhetherTheyAreAnAdmin) {
  sdk::testing::ManualClock clock;
  ApiTokens tokens(sdk::Secret("s3cret"), clock);
  auto user = tokens.verify("Bearer " + tokens.issue("alice", false, std::chrono::hours(1)));
  ASSERT_TRUE(user) << user.error().describe();
  EXPECT_EQ(user->login, "alice");
  EXPECT_FALSE(user->admin);
  auto admin = tokens.verify("Bearer " + tokens.issue("root", true, std::chrono::hours(1)));
  ASSERT_TRUE(admin);
  EXPECT_TRUE(admin->admin);
}

TEST(ApiTokensTest, ExpiredForeignAlteredAndMissingTokensAreRefused) {
  sdk::testing::ManualClock clock;
  ApiTokens tokens(sdk::Secret("s3cret"), clock);
  const std::string token = tokens.issue("alice", false, std::chrono::hours(1));
  clock.advance(std::chrono::hours(2));
  EXPECT_EQ(tokens.verify("Bearer " + token).error().code(), sdk::ErrorCode::PermissionDenied) << "expired";

  ApiTokens other(sdk::Secret("another secret"), clock);
  EXPECT_FALSE(tokens.verify("Bearer " + other.issue("alice", true, std::chrono::hours(1)))) << "signed elsewhere";

  // The payload made to say is_admin, the signature kept.
  const std::string fresh = tokens.issue("alice", false, std::chrono::hours(1));
  const auto first = fresh.find('.'), second = fresh.rfind('.');
  const std::string forged = fresh.substr(0, first + 1) +
                             other.issue("alice", true, std::chrono::hours(1)).substr(first + 1, second - first - 1) +
                             fresh.substr(second);
  EXPECT_FALSE(tokens.verify("Bearer " + forged));

  // alg "none": header {"alg":"none","typ":"JWT"}, no signature.
  const std::string none = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + fresh.substr(first + 1, second - first - 1) + ".";
  EXPECT_FALSE(tokens.verify("Bearer " + none));
  EXPECT_FALSE(tokens.verify(""));
  EXPECT_FALSE(tokens.verify("Basic YWxpY2U6cHc="));
  EXPECT_FALSE(tokens.verify("Bearer not-a-jwt"));
}

TEST(ApiTokensTest, RandomSecretsDiffer) {
  EXPECT_NE(ApiTokens::randomSecret().reveal(), ApiTokens::randomSecret().reveal());
  EXPECT_EQ(ApiTokens::randomSecret().reveal().size(), 64u);
}

}  // namespace
}  // namespace ekaci::server
