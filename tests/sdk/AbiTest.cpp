#include "ekaci/sdk/Abi.h"

#include <gtest/gtest.h>

#include <string>

namespace ekaci::sdk {

TEST(AbiTest, FingerprintNamesEverythingThatMustMatch) {
  const std::string fingerprint = EKACI_SDK_ABI_FINGERPRINT;
  EXPECT_NE(fingerprint.find("sdk=" EKACI_SDK_VERSION), std::string::npos);
  EXPECT_NE(fingerprint.find(";compiler="), std::string::npos);
  EXPECT_NE(fingerprint.find(";stdlib=libstdc++-cxx11abi1"), std::string::npos);
  EXPECT_NE(fingerprint.find(";std=202002"), std::string::npos);
  const std::string hash = EKACI_SDK_HEADER_HASH;
  EXPECT_EQ(hash.size(), 16u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

}  // namespace ekaci::sdk
