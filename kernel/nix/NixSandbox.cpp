#include "kernel/nix/NixSandbox.h"

#include <unistd.h>

#include <sstream>

namespace ekaci::nix {

NixSandbox::Status NixSandbox::fromShowConfig(const std::string& text, bool runsAsRoot) {
  Status status;
  status.runsAsRoot = runsAsRoot;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    const std::string name = line.substr(0, eq), value = line.substr(eq + 3);
    if (name == "sandbox") status.sandbox = value == "true" || value == "relaxed";
    if (name == "build-users-group") status.buildUsersGroup = value;
  }
  if (!status.sandbox) {
    status.problem = "Nix's sandbox is off (sandbox = false)";
  } else if (runsAsRoot && status.buildUsersGroup.empty()) {
    status.problem = "builds run as root without build users (build-users-group is empty)";
  }
  return status;
}

sdk::Result<NixSandbox::Status> NixSandbox::inspect(
    sdk::ProcessRunner& processes, const std::string& nixProgram,
    const std::vector<std::pair<std::string, std::string>>& nixOptions,
    const std::vector<std::pair<std::string, std::string>>& environment) {
  sdk::ProcessSpec spec;
  spec.argv = {nixProgram, "--extra-experimental-features", "nix-command", "show-config"};
  for (const auto& [name, value] : nixOptions) spec.argv.insert(spec.argv.end(), {"--option", name, value});
  spec.environment = environment;
  spec.timeout = std::chrono::seconds(30);
  auto ran = processes.run(spec);
  if (!ran) return ran.error();
  if (!ran->succeeded()) {
    return sdk::Error(sdk::ErrorCode::ProcessSpawn,
                      "'" + nixProgram + " show-config' failed: " + ran->stderrText.substr(0, 500));
  }
  return fromShowConfig(ran->stdoutText, ::geteuid() == 0);
}

}  // namespace ekaci::nix
