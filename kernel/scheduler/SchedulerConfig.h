#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "kernel/scheduler/BuilderSpec.h"

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
  std::vector<BuilderSpec> remoteBuilders;
  std::chrono::seconds noOutputTimeout{1200};
  std::chrono::seconds maxDuration{14400};
  std::chrono::seconds failureCacheTtl{86400};
  std::chrono::seconds healthCheckInterval{60};
  std::chrono::seconds shutdownGrace{30};
  std::vector<std::pair<std::string, std::string>> nixOptions;  // passed as --option NAME VALUE
  std::vector<std::string> passEnvironment;  // see nix::NixEnvironment
  std::size_t maxLogBytes = std::size_t{64} << 20;  // per build log; Nix's max-log-size too
  bool allowUnsandboxedBuilds = false;
  // The server resumes the jobsets a previous run left open (and marks derivations no open
  // jobset wants as interrupted); a one-off `ekaci review --build` must not touch them.
  bool resumeOpenJobsets = true;
  std::string nixStoreProgram = "nix-store";
  std::string nixProgram = "nix";
};

}  // namespace ekaci::scheduler
