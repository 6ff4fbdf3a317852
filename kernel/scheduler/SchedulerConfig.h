#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "kernel/nix/BuilderSpec.h"
#include "kernel/nix/NixInvocation.h"

namespace ekaci::scheduler {

// What the scheduler needs from the server configuration, already validated.
struct SchedulerConfig {
  std::filesystem::path logsDir;
  std::size_t localMaxJobs = 2;
  std::size_t fixedOutputMaxJobs = 4;
  // Buildable derivations one local build slot takes at once (one nix-store run).
  std::size_t batchSize = 8;
  std::vector<std::string> localSystems;   // empty: this machine's system only
  std::vector<std::string> localFeatures;  // features this machine supports
  std::vector<nix::BuilderSpec> remoteBuilders;
  nix::NixInvocation nix;  // programs, options, environment, per-build limits
  // graph_lru_capacity: past it, finished derivations no open jobset needs leave the build
  // graph (they come back from the database when a jobset needs them again).
  std::size_t graphCapacity = 100000;
  std::chrono::seconds failureCacheTtl{86400};
  std::chrono::seconds healthCheckInterval{60};
  std::chrono::seconds shutdownGrace{30};
  bool allowUnsandboxedBuilds = false;
  // The server resumes the jobsets a previous run left open (and marks derivations no open
  // jobset wants as interrupted); a one-off `ekaci review --build` must not touch them.
  bool resumeOpenJobsets = true;
};

}  // namespace ekaci::scheduler
