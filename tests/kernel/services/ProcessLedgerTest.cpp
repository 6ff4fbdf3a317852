// The process ledger: a crash's leftovers are killed at the next start, and nothing that is
// not provably one of them is touched.
#include "kernel/services/ProcessLedger.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "kernel/services/PosixProcessRunner.h"
#include "tests/support/TempDir.h"

namespace ekaci::services {
namespace {

using namespace std::chrono_literals;

// A `sleep` in a process group of its own (as the runner starts children), not reaped here
// until the test asks.
pid_t sleeper() {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  return pid;
}

// Waits up to `patience` for `pid` (our child) to end; true if it was killed by SIGKILL.
bool killedBySigkill(pid_t pid, std::chrono::milliseconds patience = 2s) {
  for (int i = 0; i < patience / 10ms; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

void finish(pid_t pid) {
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

TEST(ProcessLedgerTest, ARecordedGroupThatOutlivedItsOwnerIsKilled) {
  testsupport::TempDir dir;
  const pid_t orphan = sleeper();
  {
    ProcessLedger previous(dir.path() / "processes");
    previous.record(orphan);  // the previous owner "crashes" here: no forget()
  }
  ProcessLedger next(dir.path() / "processes");
  const auto killed = next.reapOrphans();
  ASSERT_EQ(killed, std::vector<pid_t>{orphan});
  EXPECT_TRUE(killedBySigkill(orphan));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "processes")) << "the ledger is cleared";
  EXPECT_TRUE(next.reapOrphans().empty());
}

TEST(ProcessLedgerTest, AReusedNumberOrAnEarlierBootIsLeftAlone) {
  testsupport::TempDir dir;
  ProcessLedger ledger(dir.path() / "processes");
  const pid_t reused = sleeper(), earlierBoot = sleeper();
  ledger.record(reused);
  ledger.record(earlierBoot);
  std::string boot, start;
  std::ifstream(dir.path() / "processes" / std::to_string(reused)) >> boot >> start;
  ASSERT_FALSE(boot.empty());
  // The number now belongs to a process that started at another time...
  std::ofstream(dir.path() / "processes" / std::to_string(reused)) << boot << " " << std::stoull(start) + 1 << "\n";
  // ...or was recorded before the machine last booted.
  std::ofstream(dir.path() / "processes" / std::to_string(earlierBoot))
      << "00000000-0000-0000-0000-000000000000 " << start << "\n";
  std::ofstream(dir.path() / "processes" / "garbage") << "not a record\n";
  EXPECT_TRUE(ledger.reapOrphans().empty());
  EXPECT_FALSE(killedBySigkill(reused, 300ms)) << "a process that merely has the number survives";
  EXPECT_FALSE(killedBySigkill(earlierBoot, 300ms));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "processes"));
  finish(reused);
  finish(earlierBoot);
}

TEST(ProcessLedgerTest, TheRunnerRecordsAGroupWhileItRuns) {
  testsupport::TempDir dir;
  ProcessLedger ledger(dir.path() / "processes");
  PosixProcessRunner runner;
  runner.track(&ledger);
  sdk::ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo $$; sleep 1"};
  std::vector<std::string> seen;
  auto result = runner.run(spec, [&](sdk::OutputStream, std::string_view line) {
    for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "processes")) {
      seen.push_back(entry.path().filename().string() + "=" + std::string(line));
    }
  });
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_EQ(seen.size(), 1u);
  const auto equals = seen[0].find('=');
  EXPECT_EQ(seen[0].substr(0, equals), seen[0].substr(equals + 1)) << "the child's group is recorded under its pid";
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "processes")) << "and forgotten when it ends";
  EXPECT_EQ(std::filesystem::status(dir.path() / "processes").permissions() & std::filesystem::perms::others_all,
            std::filesystem::perms::none);
}

}  // namespace ekaci::services
