// GitHub's timestamps.
#include "GithubTime.h"

#include <gtest/gtest.h>

namespace ekaci::github {
namespace {

std::int64_t seconds(const std::string& iso) {
  auto at = GithubTime::parse(iso);
  return at ? std::chrono::duration_cast<std::chrono::seconds>(at->time_since_epoch()).count() : -1;
}

TEST(GithubTimeTest, UtcOffsetsAndFractionsAreRead) {
  EXPECT_EQ(seconds("2026-12-03T10:15:00Z"), 1796292900);
  EXPECT_EQ(seconds("2026-12-03T11:15:00+01:00"), 1796292900);
  EXPECT_EQ(seconds("2026-12-03T05:15:00-05:00"), 1796292900);
  EXPECT_EQ(seconds("2026-12-03T10:15:00.123Z"), 1796292900);
  EXPECT_EQ(seconds("2026-12-03T10:15:00"), 1796292900);
}

TEST(GithubTimeTest, AnythingElseIsNotATime) {
  EXPECT_EQ(seconds(""), -1);
  EXPECT_EQ(seconds("yesterday"), -1);
  EXPECT_EQ(seconds("2026-12-03T10:15:00 PST"), -1);
  EXPECT_EQ(seconds("2026-12-03T10:15:00+1"), -1);
}

TEST(GithubTimeTest, FormattedAsGithubWritesThem) {
  EXPECT_EQ(GithubTime::format(std::chrono::system_clock::from_time_t(1796292900)), "2026-12-03T10:15:00Z");
}

}  // namespace
}  // namespace ekaci::github
