// The dates the three forges write.
#include "forgekit/IsoTime.h"

#include <gtest/gtest.h>

namespace ekaci::forgekit {
namespace {

std::int64_t seconds(const std::string& text) {
  auto at = IsoTime::parse(text);
  EXPECT_TRUE(at) << text;
  return at ? std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count() : -1;
}

TEST(IsoTimeTest, ReadsEveryForgesForm) {
  const std::int64_t noon = 1714564800;                       // 2024-05-01T12:00:00Z
  EXPECT_EQ(seconds("2024-05-01T12:00:00Z"), noon);           // GitHub
  EXPECT_EQ(seconds("2024-05-01T14:00:00+02:00"), noon);      // Gitea
  EXPECT_EQ(seconds("2024-05-01T14:00:00.000+02:00"), noon);  // GitLab's API
  EXPECT_EQ(seconds("2024-05-01 12:00:00 UTC"), noon);        // GitLab's webhooks
  EXPECT_EQ(seconds("2024-05-01 14:00:00 +0200"), noon);      // GitLab's older webhooks
  EXPECT_FALSE(IsoTime::parse("yesterday"));
  // Found by the WebhookPayload fuzz target: a year past the clock's range overflowed it.
  EXPECT_FALSE(IsoTime::parse("2924-05-01T12:00:00Z"));
  EXPECT_FALSE(IsoTime::parse("1969-12-31T23:59:59Z"));
  EXPECT_TRUE(IsoTime::parse("2199-12-31T23:59:59Z"));
  EXPECT_FALSE(IsoTime::parse("2024-05-01T12:00:00 nonsense"));
}

}  // namespace
}  // namespace ekaci::forgekit
