#include "kernel/scheduler/BuildLogStore.h"

#include <gtest/gtest.h>

#include "tests/support/TempDir.h"

namespace ekaci::scheduler {
namespace {

const std::string kDrv = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12.drv";

TEST(BuildLogStoreTest, LogIsReadableWhileRunningAndCompressedAfter) {
  testsupport::TempDir dir;
  BuildLogStore logs(dir.path());
  auto writer = logs.open(kDrv);
  ASSERT_TRUE(writer) << writer.error().describe();
  (*writer)->line("configuring");
  auto during = logs.read("0123456789abcdfghijklmnpqrsvwxyz");
  ASSERT_TRUE(during);
  EXPECT_EQ(*during, "configuring\n");
  (*writer)->line("building");
  (*writer)->finish();
  const auto hashDir = dir.path() / "0123456789abcdfghijklmnpqrsvwxyz";
  EXPECT_FALSE(std::filesystem::exists(hashDir / "build.log"));
  EXPECT_TRUE(std::filesystem::exists(hashDir / "build.log.gz"));
  auto after = logs.read("0123456789abcdfghijklmnpqrsvwxyz");
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_EQ(*after, "configuring\nbuilding\n");
}

TEST(BuildLogStoreTest, EarlierAttemptsAreKept) {
  testsupport::TempDir dir;
  BuildLogStore logs(dir.path());
  for (const char* text : {"first", "second", "third"}) {
    auto writer = logs.open(kDrv);
    ASSERT_TRUE(writer);
    (*writer)->line(text);
    (*writer)->finish();
  }
  const auto hashDir = dir.path() / "0123456789abcdfghijklmnpqrsvwxyz";
  EXPECT_TRUE(std::filesystem::exists(hashDir / "build.log.1.gz"));
  EXPECT_TRUE(std::filesystem::exists(hashDir / "build.log.2.gz"));
  EXPECT_EQ(*logs.read("0123456789abcdfghijklmnpqrsvwxyz"), "third\n");
}

TEST(BuildLogStoreTest, LongLogsAreCutFromTheFront) {
  testsupport::TempDir dir;
  BuildLogStore logs(dir.path());
  auto writer = logs.open(kDrv);
  for (int i = 0; i < 1000; ++i) (*writer)->line("line " + std::to_string(i));
  (*writer)->finish();
  auto tail = logs.read("0123456789abcdfghijklmnpqrsvwxyz", 100);
  ASSERT_TRUE(tail);
  EXPECT_NE(tail->find("earlier bytes omitted"), std::string::npos);
  EXPECT_NE(tail->find("line 999\n"), std::string::npos);
  EXPECT_EQ(tail->find("line 0\n"), std::string::npos);
}

TEST(BuildLogStoreTest, HashesAreValidatedSoNoPathEscapes) {
  testsupport::TempDir dir;
  BuildLogStore logs(dir.path());
  EXPECT_EQ(logs.read("../../../../etc/passwd").error().code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(logs.read("0123456789ABCDFGHIJKLMNPQRSVWXYZ").error().code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(logs.read("0123456789abcdfghijklmnpqrsvwxyz").error().code(), sdk::ErrorCode::NotFound);
  EXPECT_FALSE(logs.open("/nix/store/short-name.drv"));
  EXPECT_EQ(BuildLogStore::drvHash(kDrv), "0123456789abcdfghijklmnpqrsvwxyz");
  EXPECT_FALSE(BuildLogStore::drvHash("/nix/store/0123456789abcdfghijklmnpqrsvwxyz"));
  EXPECT_FALSE(BuildLogStore::validHash("0123456789abcdfghijklmnpqrsvwxye"));  // 'e' is not base-32
}

}  // namespace
}  // namespace ekaci::scheduler
