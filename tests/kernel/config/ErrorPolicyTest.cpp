#include "kernel/config/ErrorPolicy.h"

#include <gtest/gtest.h>

namespace ekaci::config {
namespace {

TEST(ErrorPolicyTest, EveryCodeBelongsToExactlyOneGroup) {
  for (const auto& info : sdk::errorCodeTable()) {
    if (info.code == sdk::ErrorCode::Ok) continue;
    int groups = 0;
    for (const auto& group : ErrorPolicy::groups()) {
      const int n = static_cast<int>(info.code);
      groups += n >= group.first && n <= group.last ? 1 : 0;
    }
    EXPECT_EQ(groups, 1) << info.name;
    EXPECT_NE(ErrorPolicy::groupOf(info.code), nullptr) << info.name;
  }
}

TEST(ErrorPolicyTest, ErrorsMapToTheExitStatusOfTheirGroup) {
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::Ok), ExitStatus::Ok);
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::ConfigParse), ExitStatus::Usage);
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::ConfigPluginUnavailable), ExitStatus::Usage);
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::InvalidArgument), ExitStatus::Usage);
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::StorageOpen), ExitStatus::CouldNot);
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::HttpConnect), ExitStatus::CouldNot);
  EXPECT_EQ(ErrorPolicy::exitFor(sdk::ErrorCode::Cancelled), ExitStatus::CouldNot);
  EXPECT_EQ(ErrorPolicy::exitFor(static_cast<sdk::ErrorCode>(99999)), ExitStatus::CouldNot) << "unknown: could not";
  EXPECT_EQ(exitCode(ExitStatus::No), 1);
  EXPECT_EQ(exitCode(ExitStatus::Usage), 2);
  EXPECT_EQ(exitCode(ExitStatus::CouldNot), 3);
}

TEST(ErrorPolicyTest, ThePolicyTableNamesEveryGroupAndStatus) {
  const std::string text = ErrorPolicy::markdown();
  for (const auto& group : ErrorPolicy::groups()) {
    EXPECT_NE(text.find("| E" + std::to_string(group.first) + "–E" + std::to_string(group.last) + " | " + group.name),
              std::string::npos)
        << group.name;
  }
  for (const char* status : {"| 0 |", "| 1 |", "| 2 |", "| 3 |"}) EXPECT_NE(text.find(status), std::string::npos);
}

}  // namespace
}  // namespace ekaci::config
