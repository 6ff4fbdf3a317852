#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/services/PosixProcessRunner.h"
#include "kernel/services/SystemClock.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::testsupport {

// What a test needs to run the scheduler against real Nix: a database in a fresh directory,
// real processes and clock, captured metrics and logs, and a configuration writing logs
// under the directory with binary caches off (this machine is offline).
class SchedulerHarness {
 public:
  SchedulerHarness();

  scheduler::Scheduler::Services services() { return {*storage, processes, clock, metrics, logger}; }
  // A jobset row (as evaluation would leave it) for commit `sha` of a test repository.
  std::int64_t newJobset(const std::string& sha);
  // The first line `argv` prints (run with this process's environment); nothing on failure,
  // with the reason in `error`.
  std::optional<std::string> firstLineOf(const std::vector<std::string>& argv, std::string* error = nullptr);
  // Writes a Nix file `name` binding `mk = name: deps: script: <derivation>` (names tagged
  // so that no other test or run shares its store paths) around `bindings`; returns its path.
  std::filesystem::path nixSet(const std::string& name, const std::string& bindings) const;

  TempDir dir;
  std::unique_ptr<storage::SqliteStorage> storage;
  services::PosixProcessRunner processes{std::chrono::milliseconds(500)};
  services::SystemClock clock;
  sdk::testing::InMemoryMetrics metrics;
  sdk::testing::CapturingLogger logger;
  scheduler::SchedulerConfig config;
  std::string tag;  // unique to this harness
};

}  // namespace ekaci::testsupport
