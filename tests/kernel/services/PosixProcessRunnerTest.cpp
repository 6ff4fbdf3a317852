#include "kernel/services/PosixProcessRunner.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <thread>

#include "tests/support/TempDir.h"

namespace ekaci::services {
namespace {

sdk::ProcessSpec shell(const std::string& script) {
  sdk::ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  return spec;
}

// Running or sleeping; a zombie (killed, waiting to be reaped by whoever adopted it) is dead.
bool processAlive(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(stat, text)) return false;
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z' && text[close + 2] != 'X';
}

}  // namespace

TEST(PosixProcessRunnerTest, CapturesLinesExitCodeAndUnterminatedLastLine) {
  PosixProcessRunner runner;
  std::vector<std::pair<sdk::OutputStream, std::string>> lines;
  auto result = runner.run(shell("echo one; echo two >&2; printf three; exit 3"),
                           [&](sdk::OutputStream s, std::string_view l) { lines.emplace_back(s, std::string(l)); });
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->end, sdk::ProcessEnd::Exited);
  EXPECT_EQ(result->exitCode, 3);
  EXPECT_FALSE(result->succeeded());
  EXPECT_EQ(result->stdoutText, "one\nthree\n");
  EXPECT_EQ(result->stderrText, "two\n");
  EXPECT_EQ(lines.size(), 3u);
}

TEST(PosixProcessRunnerTest, PassesStdinEnvironmentAndWorkingDirectory) {
  testsupport::TempDir dir;
  PosixProcessRunner runner;
  auto spec = shell("read x; echo \"$x $GREETING $(pwd)\"; echo \"home:${HOME:-unset}\"");
  spec.standardInput = "hello\n";
  spec.environment = {{"GREETING", "world"}};
  spec.workingDirectory = dir.path().string();
  auto result = runner.run(spec);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->stdoutText, "hello world " + std::filesystem::canonical(dir.path()).string() + "\nhome:unset\n")
      << "without inheritEnvironment the child sees only what it is given";
}

TEST(PosixProcessRunnerTest, AConversationAnswersWhatTheChildSaid) {
  // The child doubles numbers; each answer decides the next question, and stdin closes on nullopt.
  PosixProcessRunner runner;
  auto spec = shell("while read x; do echo $((x * 2)); done; echo done");
  std::vector<std::string> heard;
  std::size_t asked = 0, answered = 0, polls = 0;
  spec.moreInput = [&]() -> std::optional<std::string> {
    ++polls;
    if (asked > answered) return std::string();  // waiting for the child's answer
    if (asked == 3) return std::nullopt;
    ++asked;
    return std::to_string(heard.empty() ? 1 : std::stoi(heard.back()) + 1) + "\n";
  };
  auto result = runner.run(spec, [&](sdk::OutputStream, std::string_view line) {
    heard.emplace_back(line);
    ++answered;
  });
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(heard, (std::vector<std::string>{"2", "6", "14", "done"}));
  EXPECT_GE(polls, 4u);
}

// A descriptor the server opened without O_CLOEXEC (a listening socket, the database) is not
// the child's: a child that outlived a crash would otherwise keep the server's port and socket.
TEST(PosixProcessRunnerTest, AChildGetsNoDescriptorButItsStandardOnes) {
  testsupport::TempDir dir;
  const int leaky = ::open((dir.path() / "secret").c_str(), O_CREAT | O_RDWR, 0600);  // no O_CLOEXEC
  ASSERT_GE(leaky, 3);
  PosixProcessRunner runner;
  const std::string fd = std::to_string(leaky);
  auto result = runner.run(shell("for n in 0 1 2 " + fd + "; do [ -e /proc/$$/fd/$n ] && echo open $n || echo closed $n; done"));
  ::close(leaky);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->stdoutText, "open 0\nopen 1\nopen 2\nclosed " + fd + "\n");
}

TEST(PosixProcessRunnerTest, InheritsEnvironmentWhenAsked) {
  PosixProcessRunner runner;
  auto spec = shell("echo \"${HOME:-none}\"");
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  ASSERT_TRUE(result);
  EXPECT_NE(result->stdoutText, "none\n");
}

TEST(PosixProcessRunnerTest, TimeoutKillsTheWholeProcessGroup) {
  testsupport::TempDir dir;
  const auto pidFile = dir.path() / "grandchild.pid";
  PosixProcessRunner runner(std::chrono::milliseconds(200));
  auto spec = shell("sleep 30 & echo $! > " + pidFile.string() + "; wait");
  spec.timeout = std::chrono::milliseconds(300);
  auto result = runner.run(spec);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->end, sdk::ProcessEnd::TimedOut);
  pid_t grandchild = 0;
  std::ifstream(pidFile) >> grandchild;
  ASSERT_GT(grandchild, 0);
  for (int i = 0; i < 50 && processAlive(grandchild); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(processAlive(grandchild)) << "the grandchild sleep must not outlive the run";
}

TEST(PosixProcessRunnerTest, SilenceTimeoutIsResetByOutput) {
  PosixProcessRunner runner(std::chrono::milliseconds(100));
  auto talking = shell("for i in 1 2 3 4 5; do echo $i; sleep 0.1; done");
  talking.noOutputTimeout = std::chrono::milliseconds(400);
  auto ok = runner.run(talking);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->end, sdk::ProcessEnd::Exited) << "output every 100 ms keeps a 400 ms silence timer alive";
  EXPECT_EQ(ok->stdoutText, "1\n2\n3\n4\n5\n");

  auto silent = shell("echo start; sleep 20");
  silent.noOutputTimeout = std::chrono::milliseconds(300);
  auto killed = runner.run(silent);
  ASSERT_TRUE(killed);
  EXPECT_EQ(killed->end, sdk::ProcessEnd::NoOutputTimedOut);
  EXPECT_EQ(killed->stdoutText, "start\n");
}

TEST(PosixProcessRunnerTest, CancellationStopsTheRun) {
  PosixProcessRunner runner(std::chrono::milliseconds(100));
  std::atomic<bool> cancel{false};
  auto spec = shell("sleep 20");
  spec.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  auto result = runner.run(spec);
  canceller.join();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->end, sdk::ProcessEnd::Cancelled);
  EXPECT_LT(result->elapsed, std::chrono::seconds(10));
}

TEST(PosixProcessRunnerTest, MemoryLimitKillsAGreedyChild) {
  PosixProcessRunner runner;
  // python3 holds 400 MiB of real (touched) memory until killed.
  sdk::ProcessSpec spec;
  spec.argv = {"python3", "-c", "import time; b = bytearray(400 * 1024 * 1024); time.sleep(30)"};
  spec.inheritEnvironment = true;
  spec.maxResidentBytes = std::size_t{100} * 1024 * 1024;
  spec.timeout = std::chrono::seconds(20);
  auto result = runner.run(spec);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->end, sdk::ProcessEnd::MemoryExceeded);

  auto modest = shell("echo small");
  modest.maxResidentBytes = std::size_t{100} * 1024 * 1024;
  auto fine = runner.run(modest);
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->end, sdk::ProcessEnd::Exited);
}

TEST(PosixProcessRunnerTest, ReportsSignalsAndSpawnFailures) {
  PosixProcessRunner runner;
  auto signaled = runner.run(shell("kill -9 $$"));
  ASSERT_TRUE(signaled);
  EXPECT_EQ(signaled->end, sdk::ProcessEnd::Signaled);
  EXPECT_EQ(signaled->signal, SIGKILL);

  sdk::ProcessSpec missing;
  missing.argv = {"definitely-not-a-program-ekaci"};
  auto failed = runner.run(missing);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), sdk::ErrorCode::ProcessSpawn);
  EXPECT_NE(failed.error().message().find("definitely-not-a-program-ekaci"), std::string::npos);

  EXPECT_FALSE(runner.run(sdk::ProcessSpec{}));
}

TEST(PosixProcessRunnerTest, LargeOutputIsNotTruncated) {
  PosixProcessRunner runner;
  auto result = runner.run(shell("i=0; while [ $i -lt 20000 ]; do echo line-$i; i=$((i+1)); done"));
  ASSERT_TRUE(result);
  EXPECT_EQ(std::count(result->stdoutText.begin(), result->stdoutText.end(), '\n'), 20000);
  EXPECT_NE(result->stdoutText.find("line-19999\n"), std::string::npos);
}

TEST(PosixProcessRunnerTest, RunsNixForReal) {
  PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = {"nix-instantiate", "--version"};
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->exitCode, 0);
  EXPECT_NE(result->stdoutText.find("nix-instantiate (Nix) 2."), std::string::npos) << result->stdoutText;
}

}  // namespace ekaci::services
