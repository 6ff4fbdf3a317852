#include "kernel/server/BuildService.h"

#include <gtest/gtest.h>

namespace ekaci::server {
namespace {

const std::string kName = "0123456789abcdfghijklmnpqrsvwxyz-hello-2.12.drv";

TEST(BuildServiceTest, DerivationNamesAndPathsAreAccepted) {
  EXPECT_EQ(BuildService::drvPathOf(kName).value(), "/nix/store/" + kName);
  EXPECT_EQ(BuildService::drvPathOf("/nix/store/" + kName).value(), "/nix/store/" + kName);
  EXPECT_TRUE(BuildService::drvPathOf("0123456789abcdfghijklmnpqrsvwxyz-python3.11-foo_bar+baz-1.0.drv"));
}

TEST(BuildServiceTest, AnythingElseIsRefusedWithoutTouchingTheFilesystem) {
  for (const std::string& bad : {
           std::string("../../etc/passwd"),
           std::string("/etc/passwd"),
           std::string("/nix/store/../../etc/shadow.drv"),
           "/nix/store/" + kName + "/../x.drv",
           std::string("0123456789abcdfghijklmnpqrsvwxyz-..drv"),
           std::string("0123456789abcdfghijklmnpqrsvwxyz-a/b.drv"),
           std::string("0123456789abcdfghijklmnpqrsvwxyz-hello"),        // not a .drv
           std::string("0123456789ABCDFGHIJKLMNPQRSVWXYZ-hello.drv"),    // not Nix's base-32
           std::string("0123456789abcdfghijklmnpqrsvwxyz hello.drv"),
           std::string("0123456789abcdfghijklmnpqrsvwxyz-hel\nlo.drv"),
           std::string("0123456789abcdfghijklmnpqrsvwxyz-hel\0lo.drv", 43),
           std::string("0123456789abcdfghijklmnpqrsvwxyz-h\xc3\xa9llo.drv"),
           "0123456789abcdfghijklmnpqrsvwxyz-" + std::string(300, 'a') + ".drv",
           std::string(""),
       }) {
    auto result = BuildService::drvPathOf(bad);
    ASSERT_FALSE(result) << bad;
    EXPECT_EQ(result.error().code(), sdk::ErrorCode::InvalidArgument);
    EXPECT_LE(result.error().message().size(), 250u) << "the error quotes at most a short prefix";
  }
}

}  // namespace
}  // namespace ekaci::server
