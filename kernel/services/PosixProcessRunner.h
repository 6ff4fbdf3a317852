#pragma once

#include <atomic>

#include "ekaci/sdk/ProcessRunner.h"
#include "kernel/services/ProcessLedger.h"

namespace ekaci::services {

// Runs children with posix_spawn in their own process group, reads stdout and stderr line
// by line with poll(), and enforces the whole-run timeout, the silence timeout and
// cancellation by killing the group: SIGTERM, then SIGKILL after a grace period. A child gets
// stdin, stdout and stderr and no other descriptor of the server. With a ledger, every group
// is recorded while it runs, so that the next owner of the state directory can kill what a
// crash left running.
class PosixProcessRunner : public sdk::ProcessRunner {
 public:
  explicit PosixProcessRunner(std::chrono::milliseconds killGrace = std::chrono::milliseconds(2000))
      : killGrace_(killGrace) {}
  using sdk::ProcessRunner::run;
  sdk::Result<sdk::ProcessResult> run(const sdk::ProcessSpec& spec, const sdk::ProcessLineCallback& onLine) override;

  // Records the groups of runs that start from now on in `ledger` (which must outlive them);
  // nullptr stops recording.
  void track(const ProcessLedger* ledger) noexcept { ledger_.store(ledger); }

 private:
  std::chrono::milliseconds killGrace_;
  std::atomic<const ProcessLedger*> ledger_{nullptr};
};

}  // namespace ekaci::services
