#include "kernel/scheduler/SchedulerSettings.h"
#include "kernel/nix/NixEnvironment.h"

#include <sys/utsname.h>

#include <thread>

#include "kernel/nix/MachinesFile.h"

namespace ekaci::scheduler {

sdk::Result<SchedulerConfig> SchedulerSettings::fromServerConfig(const config::ServerConfig& config) {
  SchedulerConfig out;
  out.logsDir = config.logsDir;
  const auto& b = config.builders;
  out.localMaxJobs = b.maxJobs > 0 ? static_cast<std::size_t>(b.maxJobs)
                                   : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  out.fixedOutputMaxJobs = static_cast<std::size_t>(b.fixedOutputMaxJobs);
  out.batchSize = static_cast<std::size_t>(b.batchSize);
  out.localSystems = b.systems;
  out.localFeatures = b.features;
  out.nix.noOutputTimeout = std::chrono::seconds(config.buildNoOutputTimeoutSeconds);
  out.nix.maxDuration = std::chrono::seconds(config.buildMaxDurationSeconds);
  out.graphCapacity = static_cast<std::size_t>(config.graphLruCapacity);
  out.failureCacheTtl = std::chrono::seconds(b.failureCacheSeconds);
  out.healthCheckInterval = std::chrono::seconds(b.healthCheckIntervalSeconds);
  out.shutdownGrace = std::chrono::seconds(b.shutdownGraceSeconds);
  out.nix.passEnvironment = b.passEnvironment;
  out.nix.maxLogBytes = static_cast<std::size_t>(b.maxLogSizeMiB) << 20;
  out.allowUnsandboxedBuilds = b.allowUnsandboxedBuilds;
  for (const auto& option : b.nixOptions) {
    const auto eq = option.find('=');
    if (eq == std::string::npos || eq == 0) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                        "builders.nix_options: '" + option + "' is not NAME=VALUE (for example substituters=)");
    }
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    out.nix.options.emplace_back(trim(option.substr(0, eq)), trim(option.substr(eq + 1)));
  }
  if (b.machinesFile) {
    auto machines = nix::MachinesFile::read(*b.machinesFile);
    if (!machines) return machines.error();
    out.remoteBuilders = std::move(machines).value();
  }
  return out;
}

std::string SchedulerSettings::hostSystem(sdk::ProcessRunner& processes) {
  sdk::ProcessSpec spec;
  spec.argv = {"nix-instantiate", "--eval", "--expr", "builtins.currentSystem"};
  spec.environment = nix::NixEnvironment().variables();
  spec.timeout = std::chrono::seconds(30);
  if (auto result = processes.run(spec); result && result->succeeded()) {
    std::string text = result->stdoutText;
    std::erase_if(text, [](char c) { return c == '"' || c == '\n'; });
    if (!text.empty()) return text;
  }
  utsname name{};
  ::uname(&name);
  std::string machine = name.machine;
  if (machine == "arm64") machine = "aarch64";
  return machine + "-linux";
}

}  // namespace ekaci::scheduler
