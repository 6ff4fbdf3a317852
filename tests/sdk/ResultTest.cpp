#include "ekaci/sdk/Result.h"

#include <gtest/gtest.h>

#include <memory>

namespace ekaci::sdk {

TEST(ResultTest, HoldsValueOrError) {
  Result<int> good = 7;
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 7);
  Result<int> bad = Error(ErrorCode::NotFound, "gone");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::NotFound);
  EXPECT_EQ(bad.valueOr(3), 3);
}

TEST(ResultTest, MovesOnlyTypes) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  ASSERT_TRUE(r);
  std::unique_ptr<int> taken = std::move(r).value();
  EXPECT_EQ(*taken, 5);
}

TEST(ResultTest, VoidResult) {
  Result<void> ok = success();
  EXPECT_TRUE(ok);
  Result<void> failed = Error(ErrorCode::Timeout, "slow");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "slow");
}

}  // namespace ekaci::sdk
