// One command per user and repository per interval; the map stays bounded.
#include "kernel/forge/CommandRateLimiter.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/ManualClock.h"

namespace ekaci::forge {
namespace {

TEST(CommandRateLimiterTest, OnePerUserAndRepositoryPerInterval) {
  sdk::testing::ManualClock clock;
  CommandRateLimiter limiter(clock, std::chrono::seconds(5));
  EXPECT_TRUE(limiter.admit("gh", "o/r", "alice"));
  EXPECT_FALSE(limiter.admit("gh", "o/r", "alice"));
  EXPECT_TRUE(limiter.admit("gh", "o/r", "bob"));
  EXPECT_TRUE(limiter.admit("gh", "o/other", "alice"));
  EXPECT_TRUE(limiter.admit("gitea", "o/r", "alice"));
  clock.advance(std::chrono::milliseconds(4999));
  EXPECT_FALSE(limiter.admit("gh", "o/r", "alice"));
  clock.advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(limiter.admit("gh", "o/r", "alice"));
  EXPECT_FALSE(limiter.admit("gh", "o/r", "alice")) << "the accepted one starts a new interval";
}

TEST(CommandRateLimiterTest, ExpiredEntriesArePrunedWhenTheMapIsFull) {
  sdk::testing::ManualClock clock;
  CommandRateLimiter limiter(clock, std::chrono::seconds(5), 100);
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(limiter.admit("gh", "o/r", "user" + std::to_string(i)));
  clock.advance(std::chrono::seconds(6));
  EXPECT_TRUE(limiter.admit("gh", "o/r", "late"));
  EXPECT_TRUE(limiter.admit("gh", "o/r", "user1")) << "expired, and pruned";
  EXPECT_FALSE(limiter.admit("gh", "o/r", "late"));
}

}  // namespace
}  // namespace ekaci::forge
