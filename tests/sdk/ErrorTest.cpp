#include "ekaci/sdk/Error.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {
namespace {

using namespace std::chrono_literals;

// "Retry after N seconds" crosses the boundary with the error, through a Result and context.
TEST(ErrorTest, RetryAfterTravelsWithTheError) {
  Error plain(ErrorCode::ForgeApi, "500 from the forge");
  EXPECT_FALSE(plain.retryAfter().has_value()) << "the caller's own backoff applies";
  auto fails = []() -> Result<int> { return Error(ErrorCode::ForgeApi, "secondary rate limit").withRetryAfter(60s); };
  auto result = fails();
  ASSERT_FALSE(result);
  Error error = result.error();
  error.withContext("creating a check run");
  ASSERT_TRUE(error.retryAfter().has_value());
  EXPECT_EQ(*error.retryAfter(), 60s);
  EXPECT_EQ(error.message(), "creating a check run: secondary rate limit");
}

TEST(ErrorTest, ANegativeDelayIsNow) {
  Error error(ErrorCode::ForgeApi, "reset in the past");
  error.withRetryAfter(-5s);
  EXPECT_EQ(*error.retryAfter(), 0s);
}

}  // namespace
}  // namespace ekaci::sdk
