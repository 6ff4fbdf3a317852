#pragma once

#include <string>

#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/scheduler/SchedulerConfig.h"

namespace ekaci::scheduler {

// The scheduler's configuration from the server's: [builders], the build timeouts and
// logs_dir; the machines file is read here, so a malformed one stops start-up.
class SchedulerSettings {
 public:
  static sdk::Result<SchedulerConfig> fromServerConfig(const config::ServerConfig& config);
  // The system Nix builds for on this machine ("x86_64-linux").
  static std::string hostSystem(sdk::ProcessRunner& processes);
};

}  // namespace ekaci::scheduler
