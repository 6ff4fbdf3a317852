#include "kernel/review/SizeFormat.h"

#include <gtest/gtest.h>

namespace ekaci::review {
namespace {

TEST(SizeFormatTest, BytesArePrintedForPeople) {
  EXPECT_EQ(SizeFormat::humanBytes(0), "0 B");
  EXPECT_EQ(SizeFormat::humanBytes(1023), "1023 B");
  EXPECT_EQ(SizeFormat::humanBytes(1536), "1.5 KiB");
  EXPECT_EQ(SizeFormat::humanBytes(5LL * 1024 * 1024 * 1024), "5.0 GiB");
  EXPECT_EQ(SizeFormat::humanBytes(-2048), "-2.0 KiB");
}

TEST(SizeFormatTest, GrowthIsSignedAndLimitsArePlain) {
  EXPECT_EQ(SizeFormat::percent(687.54), "+687.5 %");
  EXPECT_EQ(SizeFormat::percent(-3.0), "-3.0 %");
  EXPECT_EQ(SizeFormat::limit(50), "50 %");
  EXPECT_EQ(SizeFormat::limit(0.5), "0.5 %");
}

}  // namespace
}  // namespace ekaci::review
