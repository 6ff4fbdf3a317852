#include "kernel/nix/BuildLogStore.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/TempDir.h"

namespace ekaci::nix {
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

// A builder prints 20 MiB into a 1 MiB cap: the file never grows far past the cap, and what is
// kept is the latest output behind a note saying how much was dropped.
TEST(BuildLogStoreTest, AFloodingBuilderIsCappedToItsTail) {
  testsupport::TempDir dir;
  BuildLogStore logs(dir.path(), std::size_t{1} << 20);
  auto writer = logs.open(kDrv);
  ASSERT_TRUE(writer);
  const auto file = dir.path() / "0123456789abcdfghijklmnpqrsvwxyz" / "build.log";
  std::uintmax_t largest = 0;
  const std::string filler(200, 'x');
  for (int i = 0; i < 100000; ++i) {
    (*writer)->line("line " + std::to_string(i) + " " + filler);
    if (i % 1000 == 0) largest = std::max(largest, std::filesystem::file_size(file));
  }
  EXPECT_LE(largest, (std::uintmax_t{1} << 20) + 4096);
  (*writer)->finish();
  auto kept = logs.read("0123456789abcdfghijklmnpqrsvwxyz", std::size_t{4} << 20);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->rfind("eka-ci: the log exceeded 1 MiB (max_log_size_mib); ", 0), 0u) << kept->substr(0, 200);
  EXPECT_NE(kept->find("line 99999 "), std::string::npos);
  EXPECT_EQ(kept->find("line 0 "), std::string::npos);
  EXPECT_LE(kept->size(), std::size_t{1} << 20);
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

TEST(BuildLogStoreTest, LastLinesAreCleanAndBounded) {
  EXPECT_EQ(BuildLogStore::lastLines("a\nb\n\n  \nc\n", 2), "b\nc\n") << "blank lines do not count";
  EXPECT_EQ(BuildLogStore::lastLines("only", 5), "only\n");
  EXPECT_EQ(BuildLogStore::lastLines("", 5), "");
  EXPECT_EQ(BuildLogStore::lastLines("x\n", 0), "");
  EXPECT_EQ(BuildLogStore::lastLines("\x1b[1;31merror:\x1b[0m\tbad\r\n", 1), "error: bad\n") << "escapes, tab, CR";
  EXPECT_EQ(BuildLogStore::lastLines("bell\x07 and \x1b(B charset\n", 1), "bell and  charset\n");
  EXPECT_EQ(BuildLogStore::lastLines("caf\xc3\xa9 \xff\xc3x\n", 1), "caf\xc3\xa9 ??x\n") << "UTF-8 kept, the rest '?'";
  EXPECT_EQ(BuildLogStore::lastLines("abc\xc3\xa9", 1, 4), "abc\n") << "never half a character";
  EXPECT_EQ(BuildLogStore::lastLines(std::string(1000, 'x') + "\n", 1, 300), std::string(300, 'x') + "\n");
  EXPECT_EQ(BuildLogStore::lastLines("\x1b]0;title\x07shown\n", 1), "shown\n") << "a window title";
  EXPECT_EQ(BuildLogStore::lastLines("a\x1b]8;;http://x\x1b\\link\n", 1), "alink\n") << "a hyperlink";
  EXPECT_EQ(BuildLogStore::lastLines("\x1b[", 1), "") << "an escape cut by the end of the text";
  EXPECT_EQ(BuildLogStore::lastLines("ok\x1b", 1), "ok\n");
}

}  // namespace
}  // namespace ekaci::nix
