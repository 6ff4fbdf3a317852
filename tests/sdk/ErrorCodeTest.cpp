#include "ekaci/sdk/ErrorCode.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ekaci/sdk/Error.h"

namespace ekaci::sdk {

TEST(ErrorCodeTest, NumbersAndNamesAreUniqueAndDocumented) {
  std::set<int> numbers;
  std::set<std::string> names;
  for (const auto& info : errorCodeTable()) {
    EXPECT_TRUE(numbers.insert(static_cast<int>(info.code)).second) << info.name;
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_GT(std::string(info.meaning).size(), 10u) << info.name << " needs a meaning an operator can act on";
  }
}

TEST(ErrorCodeTest, ReleasedNumbersKeepTheirMeaning) {
  // These numbers are public (docs/ERRORS.md, logs, API answers); changing them is a break.
  EXPECT_EQ(static_cast<int>(ErrorCode::ConfigUnknownKey), 2001);
  EXPECT_EQ(static_cast<int>(ErrorCode::PluginApiVersionMismatch), 3002);
  EXPECT_EQ(static_cast<int>(ErrorCode::PluginAbiMismatch), 3003);
  EXPECT_EQ(static_cast<int>(ErrorCode::StorageSchemaTooNew), 4002);
  EXPECT_EQ(static_cast<int>(ErrorCode::SecretFileInsecure), 5001);
  EXPECT_STREQ(errorCodeName(ErrorCode::ConfigUnknownKey), "config.unknown_key");
  EXPECT_STREQ(errorCodeName(static_cast<ErrorCode>(999999)), "unknown");
}

TEST(ErrorTest, DescribeNamesCodeAndMessage) {
  Error error(ErrorCode::PluginMissingEntry, "no entry");
  error.withContext("loading x.so");
  EXPECT_EQ(error.describe(), "E3001 plugin.missing_entry: loading x.so: no entry");
}

}  // namespace ekaci::sdk
