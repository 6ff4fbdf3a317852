#include "kernel/server/BuildService.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/SchedulerHarness.h"
#include "tests/support/TempDir.h"

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
           std::string("0123456789abcdfghijklmnpqrsvwxyz-hello"),      // not a .drv
           std::string("0123456789ABCDFGHIJKLMNPQRSVWXYZ-hello.drv"),  // not Nix's base-32
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

// Socket requests refused before anything is looked up or submitted. The scheduler is never
// started: a request that reached it would fail differently.
class BuildServiceRequestTest : public ::testing::Test, protected testsupport::SchedulerHarness {};

TEST_F(BuildServiceRequestTest, MalformedSocketRequestsAreRefusedWithTheField) {
  scheduler::Scheduler scheduler(services(), config, "x86_64-linux");
  BuildService service(scheduler, *storage);
  const std::string drv = R"(")" + kName + R"(")";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"command":"build"})", "non-empty array 'drvs'"},
      {R"({"command":"build","drvs":[]})", "non-empty array 'drvs'"},
      {R"({"command":"build","drvs":[1]})", "'drvs' holds strings only"},
      {R"({"command":"build","drvs":[)" + drv + R"(],"rebuild":"yes"})", "'rebuild' is true or false"},
      {R"({"command":"build","drvs":[)" + drv + R"(],"rebuild":1})", "'rebuild' is true or false"},
      {R"({"command":"build","drvs":["../x.drv"]})", "not a derivation"},
      {R"({"command":"build","drvs":[)" + drv + R"(],"rebuild":true})", "not in the Nix store"},
      {R"({"command":"jobset","id":"7"})", "integer 'id'"},
      {R"({"command":"logs"})", "string 'drv'"},
      {R"({"command":"derivation","drv":["x"]})", "string 'drv'"},
  };
  for (const auto& [text, expected] : cases) {
    Poco::JSON::Parser parser;
    auto request = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    const std::string response = service.handle(request->getValue<std::string>("command"), *request);
    EXPECT_NE(response.find(R"("ok":false)"), std::string::npos) << text << " -> " << response;
    EXPECT_NE(response.find(expected), std::string::npos) << text << " -> " << response;
  }
  EXPECT_FALSE(storage->findBuildJobset(1).value()) << "nothing was submitted";
}

}  // namespace
// GET /v1/logs/{drv}/hooks/{name}: a hook's log by derivation and hook name, nothing else.
TEST_F(BuildServiceRequestTest, HookLogsAreFoundByDerivationAndNameOnly) {
  scheduler::Scheduler scheduler(services(), config, "x86_64-linux");
  BuildService service(scheduler, *storage);
  testsupport::TempDir logs;
  publish::HookRunner::Settings settings;
  settings.logsDir = logs.path();
  publish::HookRunner hooks(publish::HookRunner::Services{processes, *storage, clock, logger, metrics}, settings);
  const std::string hash = kName.substr(0, 32);
  std::filesystem::create_directories(logs.path() / hash);
  std::ofstream(logs.path() / hash / "hook-push-s3.log") << "pushed 3 paths\n";
  std::ofstream(logs.path() / "secret.txt") << "not a hook log\n";
  auto byName = service.hookLog(hooks, kName, "push-s3");
  ASSERT_TRUE(byName) << byName.error().describe();
  EXPECT_EQ(*byName, "pushed 3 paths\n");
  auto byHash = service.hookLog(hooks, hash, "push-s3");
  ASSERT_TRUE(byHash);
  auto missing = service.hookLog(hooks, kName, "other");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::NotFound);
  for (const std::string name : {"../../secret.txt", "../hook-push-s3", ".hidden", "a/b"}) {
    auto refused = service.hookLog(hooks, kName, name);
    ASSERT_FALSE(refused) << name;
    EXPECT_EQ(refused.error().code(), sdk::ErrorCode::InvalidArgument) << name;
  }
  EXPECT_FALSE(service.hookLog(hooks, "../../etc", "push-s3"));
}

}  // namespace ekaci::server
