// Post-build hooks are the repository's (untrusted) commands: these tests attack the rules.
#include "kernel/publish/HookRunner.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/kernel/publish/PublishFixture.h"

namespace ekaci::publish {
namespace {

constexpr const char* kServerSecret = "server-env-secret-44b1";

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class HookRunnerTest : public ::testing::Test, protected PublishFixture {
 protected:
  HookRunner runner(std::vector<std::string> allowed, std::chrono::seconds timeout = std::chrono::seconds(30),
                    std::size_t maxLog = std::size_t{1} << 20) {
    HookRunner::Settings settings;
    settings.allowedCommands = std::move(allowed);
    settings.timeout = timeout;
    settings.logsDir = dir.path() / "logs";
    settings.maxLogBytes = maxLog;
    return HookRunner(HookRunner::Services{processes, *storage, clock, logger, metrics}, settings);
  }
  HookContext context() const {
    HookContext c;
    c.drvId = drvId;
    c.drvPath = drvPath;
    c.outputs = {"/nix/store/1b9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-hello-2.12.1",
                 "/nix/store/2b9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-hello-2.12.1-man"};
    c.jobName = "packages";
    c.repository = "acme/pkgs";
    c.system = "x86_64-linux";
    c.pname = "hello";
    c.buildLogPath = "/var/lib/ekaci/build-logs/x/build.log.gz";
    c.commitSha = "0123456789abcdef0123456789abcdef01234567";
    return c;
  }
  static config::HookConfig hook(std::string name, std::vector<std::string> command,
                                 std::vector<std::pair<std::string, std::string>> env = {}) {
    return config::HookConfig{std::move(name), std::move(command), std::move(env)};
  }
};

}  // namespace

TEST_F(HookRunnerTest, TheHookSeesTheManualsVariablesAndNothingOfTheServers) {
  ::setenv("EKACI_TEST_SERVER_SECRET", kServerSecret, 1);
  auto r = runner({"env"});
  auto ran = r.run(hook("show", {"env"},
                        {{"FROM_REPO", "1"},
                         {"PATH", "/tmp/evil"},
                         {"LD_PRELOAD", "/tmp/evil.so"},
                         {"DRV_PATH", "/nix/store/forged.drv"},
                         {"HOME", "/root"}}),
                   context());
  ::unsetenv("EKACI_TEST_SERVER_SECRET");
  ASSERT_TRUE(ran) << ran.error().describe();
  EXPECT_TRUE(ran->success) << ran->detail;
  EXPECT_EQ(ran->logPath, dir.path() / "logs" / drvPath.substr(11, 32) / "hook-show.log");
  const std::string log = readFile(ran->logPath);
  for (const auto& [name, value] : context().variables()) {
    EXPECT_NE(log.find(name + "=" + value + "\n"), std::string::npos) << name << " missing: " << log;
  }
  EXPECT_NE(log.find("FROM_REPO=1\n"), std::string::npos) << log;
  EXPECT_EQ(log.find(kServerSecret), std::string::npos) << log;
  EXPECT_EQ(log.find("/tmp/evil"), std::string::npos) << "PATH or LD_PRELOAD from the repository: " << log;
  EXPECT_EQ(log.find("forged"), std::string::npos) << log;
  EXPECT_EQ(log.find("HOME=/root"), std::string::npos) << log;
  EXPECT_TRUE(logger.contains("hook env entry ignored"));
  // One row, finished and successful; one audit record.
  auto runs = storage->hookRunsOf(drvId);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_TRUE(runs->front().success);
  EXPECT_EQ(runs->front().exitCode, 0);
  EXPECT_GT(runs->front().finishedAt, 0);
  bool audited = false;
  for (const auto& record : logger.records()) {
    for (const auto& [k, v] : record.fields) audited = audited || (k == "audit" && v == "hook");
  }
  EXPECT_TRUE(audited);
  EXPECT_EQ(metrics.value("hook_runs_total", {{"result", "success"}}), 1.0);
}

TEST_F(HookRunnerTest, ArgumentsAreExpandedWithoutAShell) {
  auto r = runner({"printf"});
  auto ran =
      r.run(hook("args", {"printf", "[%s]\\n", "$OUT_PATHS", "job=${EKA_JOB_NAME}", "$UNKNOWN", "$(id)", ";", "*"}),
            context());
  ASSERT_TRUE(ran) << ran.error().describe();
  const std::string log = readFile(ran->logPath);
  const auto c = context();
  EXPECT_NE(log.find("[" + c.outputs[0] + "]\n[" + c.outputs[1] + "]\n[job=packages]\n[$UNKNOWN]\n[$(id)]\n[;]\n[*]\n"),
            std::string::npos)
      << log;
}

TEST_F(HookRunnerTest, OnlyAllowedProgramsOnThePathRun) {
  auto r = runner({"env", "no-such-program-xyz"});
  auto notAllowed = r.run(hook("a", {"sh", "-c", "touch /tmp/pwned"}), context());
  ASSERT_FALSE(notAllowed);
  EXPECT_EQ(notAllowed.error().code(), sdk::ErrorCode::HookNotAllowed);
  auto path = r.run(hook("b", {"/usr/bin/env"}), context());
  ASSERT_FALSE(path);
  EXPECT_EQ(path.error().code(), sdk::ErrorCode::HookNotAllowed);
  auto missing = r.run(hook("c", {"no-such-program-xyz"}), context());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::HookNotAllowed);
  EXPECT_NE(missing.error().message().find("not on PATH"), std::string::npos);
  for (const std::string& name : std::vector<std::string>{"../escape", "", ".hidden", "a/b", std::string(65, 'x')}) {
    auto bad = r.run(hook(name, {"env"}), context());
    ASSERT_FALSE(bad) << name;
    EXPECT_EQ(bad.error().code(), sdk::ErrorCode::InvalidArgument) << name;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "escape"));
  auto runs = storage->hookRunsOf(drvId);
  ASSERT_TRUE(runs);
  EXPECT_TRUE(runs->empty()) << "a refused hook is not a run";
}

TEST_F(HookRunnerTest, FailuresAndTimeoutsAreOutcomesNotErrors) {
  auto r = runner({"false", "sleep"}, std::chrono::seconds(1));
  auto failed = r.run(hook("f", {"false"}), context());
  ASSERT_TRUE(failed);
  EXPECT_FALSE(failed->success);
  EXPECT_EQ(failed->detail, "exit status 1");
  const auto started = std::chrono::steady_clock::now();
  auto slow = r.run(hook("s", {"sleep", "30"}), context());
  ASSERT_TRUE(slow);
  EXPECT_FALSE(slow->success);
  EXPECT_NE(slow->detail.find("stopped after 1 s"), std::string::npos) << slow->detail;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(15));
  auto runs = storage->hookRunsOf(drvId);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 2u);
  EXPECT_EQ(runs->at(0).exitCode, 1);
  EXPECT_FALSE(runs->at(0).success);
  EXPECT_FALSE(runs->at(1).exitCode.has_value());
  EXPECT_EQ(metrics.value("hook_runs_total", {{"result", "failure"}}), 2.0);
}

TEST_F(HookRunnerTest, AFloodOfOutputIsCut) {
  auto r = runner({"seq"}, std::chrono::seconds(30), 4096);
  auto ran = r.run(hook("loud", {"seq", "1", "200000"}), context());
  ASSERT_TRUE(ran);
  EXPECT_TRUE(ran->success);
  const auto size = std::filesystem::file_size(ran->logPath);
  EXPECT_LT(size, 4096u + 200u);
  EXPECT_NE(readFile(ran->logPath).find("[eka-ci: hook log cut at 4096 bytes]"), std::string::npos);
}

TEST_F(HookRunnerTest, LogPathsAreOnlyForWellFormedNames) {
  auto r = runner({});
  EXPECT_TRUE(r.logPathOf(drvPath.substr(11, 32), "push-s3"));
  EXPECT_FALSE(r.logPathOf("../../etc", "push"));
  EXPECT_FALSE(r.logPathOf(drvPath.substr(11, 32), "../build.log"));
  EXPECT_TRUE(HookRunner::settableVariable("AWS_PROFILE"));
  for (const std::string name : {"PATH", "LD_LIBRARY_PATH", "OUT_PATHS", "1X", "A-B", ""}) {
    EXPECT_FALSE(HookRunner::settableVariable(name)) << name;
  }
}

}  // namespace ekaci::publish
