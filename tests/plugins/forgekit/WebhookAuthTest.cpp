// The shared pieces of webhook authentication: header lookup, HMAC-SHA256, comparison.
#include "forgekit/WebhookAuth.h"

#include <gtest/gtest.h>

namespace ekaci::forgekit {
namespace {

TEST(WebhookAuthTest, HmacIsRfc4231) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(WebhookAuth::hmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(WebhookAuthTest, HeadersAreFoundInAnyCase) {
  sdk::WebhookRequest request;
  request.headers = {{"x-gitea-signature", "abc"}, {"X-Gitlab-Token", "t"}};
  EXPECT_EQ(WebhookAuth::header(request, "X-Gitea-Signature"), "abc");
  EXPECT_EQ(WebhookAuth::header(request, "x-gitlab-token"), "t");
  EXPECT_EQ(WebhookAuth::header(request, "X-Gitlab-Event"), "");
}

TEST(WebhookAuthTest, SameTextNeedsEqualLengthAndBytes) {
  EXPECT_TRUE(WebhookAuth::sameText("abc", "abc"));
  EXPECT_FALSE(WebhookAuth::sameText("abc", "abd"));
  EXPECT_FALSE(WebhookAuth::sameText("abc", "abcd"));
  EXPECT_FALSE(WebhookAuth::sameText("", "a"));
}

}  // namespace
}  // namespace ekaci::forgekit
