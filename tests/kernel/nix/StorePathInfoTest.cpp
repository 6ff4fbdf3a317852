#include "kernel/nix/StorePathInfo.h"

#include <gtest/gtest.h>

#include "kernel/services/PosixProcessRunner.h"
#include "tests/support/SchedulerHarness.h"

namespace ekaci::nix {
namespace {

const std::string kA = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a";
const std::string kB = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-b";

TEST(StorePathInfoTest, ParsesSizesAndSkipsInvalidPaths) {
  auto parsed =
      StorePathInfo::parse(R"([{"path":")" + kA + R"(","narHash":"sha256-x","narSize":1000,"references":[")" + kB +
                           R"("],"closureSize":1500,"registrationTime":1},{"path":")" + kB + R"(","valid":false}])");
  ASSERT_TRUE(parsed) << parsed.error().describe();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ(parsed->at(kA).narSize, 1000);
  EXPECT_EQ(parsed->at(kA).closureSize, 1500);
  EXPECT_TRUE(StorePathInfo::parse("[]").value().empty());
}

TEST(StorePathInfoTest, AnythingElseIsMalformed) {
  for (const std::string& bad : {
           std::string("not json"),
           std::string(R"({"path":"/nix/store/x"})"),
           std::string(R"([{"narSize":1,"closureSize":1}])"),
           R"([{"path":")" + kA + R"(","narSize":1}])",
           R"([{"path":")" + kA + R"(","narSize":"1","closureSize":1}])",
           R"([{"path":")" + kA + R"(","narSize":-1,"closureSize":1}])",
           std::string("[1]"),
       }) {
    auto parsed = StorePathInfo::parse(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().code(), sdk::ErrorCode::ProtocolMalformed) << bad;
  }
}

TEST(StorePathInfoTest, ParsesTheInvalidPathList) {
  EXPECT_EQ(StorePathInfo::parseInvalid(kA + "\n" + kB + "\r\nwarning: x\n"), (std::vector<std::string>{kA, kB}));
  EXPECT_TRUE(StorePathInfo::parseInvalid("").empty());
}

TEST(StorePathInfoTest, RefusesWhatIsNotAStorePath) {
  services::PosixProcessRunner runner;
  NixInvocation config;
  StorePathInfo info(runner, config);
  for (const std::string& bad : {std::string("/etc/passwd"), std::string("--help"), kA + "/../../etc"}) {
    auto sizes = info.sizes({bad});
    ASSERT_FALSE(sizes) << bad;
    EXPECT_EQ(sizes.error().code(), sdk::ErrorCode::InvalidArgument);
  }
}

class StorePathInfoStoreTest : public ::testing::Test, protected testsupport::SchedulerHarness {};

// Two real outputs, one referring to the other: the closure of the referrer holds both.
TEST_F(StorePathInfoStoreTest, MeasuresRealOutputsAndLeavesOutPathsNotInTheStore) {
  const auto file = nixSet(
      "sizes.nix",
      "  dep = mk \"size-dep\" [ ] \"i=0; while [ $i -lt 2000 ]; do echo 0123456789abcdef; i=$((i+1)); done > $out\";\n"
      "  top = mk \"size-top\" [ ] \"echo ${dep} > $out\";\n");
  std::map<std::string, std::string> out;
  for (const std::string attr : {"dep", "top"}) {
    std::string why;
    auto built =
        firstLineOf({"nix-build", "--no-out-link", "--option", "substituters", "", file.string(), "-A", attr}, &why);
    ASSERT_TRUE(built) << why;
    out[attr] = *built;
  }
  StorePathInfo info(processes, config.nix);
  const std::string absent = "/nix/store/00000000000000000000000000000000-absent";
  auto sizes = info.sizes({out["top"], out["dep"], absent, out["top"]});
  ASSERT_TRUE(sizes) << sizes.error().describe();
  ASSERT_EQ(sizes->size(), 2u);
  EXPECT_EQ(sizes->count(absent), 0u);
  const auto dep = sizes->at(out["dep"]), top = sizes->at(out["top"]);
  EXPECT_GT(dep.narSize, 34000) << "2,000 lines of 17 bytes, in a NAR";
  EXPECT_EQ(dep.closureSize, dep.narSize) << "refers to nothing";
  EXPECT_LT(top.narSize, 1000);
  EXPECT_EQ(top.closureSize, top.narSize + dep.narSize);
  auto none = info.sizes({absent});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace ekaci::nix
