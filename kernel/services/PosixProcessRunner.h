#pragma once

#include "ekaci/sdk/ProcessRunner.h"

namespace ekaci::services {

// Runs children with posix_spawn in their own process group, reads stdout and stderr line
// by line with poll(), and enforces the whole-run timeout, the silence timeout and
// cancellation by killing the group: SIGTERM, then SIGKILL after a grace period.
class PosixProcessRunner : public sdk::ProcessRunner {
 public:
  explicit PosixProcessRunner(std::chrono::milliseconds killGrace = std::chrono::milliseconds(2000))
      : killGrace_(killGrace) {}
  using sdk::ProcessRunner::run;
  sdk::Result<sdk::ProcessResult> run(const sdk::ProcessSpec& spec, const sdk::ProcessLineCallback& onLine) override;

 private:
  std::chrono::milliseconds killGrace_;
};

}  // namespace ekaci::services
