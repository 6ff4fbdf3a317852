#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/RepoConfig.h"
#include "kernel/publish/HookContext.h"
#include "kernel/storage/Storage.h"

namespace ekaci::publish {

// Runs one post-build hook of a repository's job. The repository is untrusted, so:
// the program must be on security.allowed_hook_commands (checked again here, not only when
// the configuration was read) and is found on the server's PATH, never the hook's; the
// command is an argv (no shell); "$OUT_PATHS" alone as an argument becomes one argument per
// output, and $NAME / ${NAME} inside arguments are replaced from the hook's own variables;
// the hook's environment is the manual's variables, its `env` (which cannot replace those,
// PATH or any LD_* variable) and PATH — nothing of the server's; it is stopped after
// security.max_hook_timeout_seconds; its output goes to logs_dir/<drv-hash>/hook-<name>.log
// (at most maxLogBytes, then cut). Every run is a hook_runs row and, with
// security.audit_hooks, an audit log record. A failing hook never fails the build.
class HookRunner {
 public:
  struct Services {
    sdk::ProcessRunner& processes;
    storage::Storage& storage;
    sdk::Clock& clock;
    sdk::Logger& logger;
    sdk::Metrics& metrics;
  };
  struct Settings {
    std::vector<std::string> allowedCommands;
    std::chrono::seconds timeout{300};
    std::filesystem::path logsDir;
    bool audit = true;
    std::size_t maxLogBytes = std::size_t{1} << 20;
    std::string searchPath;  // where programs are looked up; empty: the server's PATH
  };
  struct Outcome {
    bool success = false;
    std::string detail;  // "exit status 3", "stopped after 300 s"
    std::filesystem::path logPath;
  };

  HookRunner(Services services, Settings settings);

  // The hook's run. Errors are refusals before anything ran: HookNotAllowed (program not
  // allowed or not found), InvalidArgument (a name that cannot be a file name).
  sdk::Result<Outcome> run(const config::HookConfig& hook, const HookContext& context);

  // The log file of hook `name` of derivation hash `hash`, or nothing when either is malformed.
  std::optional<std::filesystem::path> logPathOf(const std::string& hash, const std::string& name) const;

  // A hook name that can be part of a file name: 1-64 of [A-Za-z0-9._-], not starting with '.'.
  static bool validName(const std::string& name);
  // An env entry a hook may set: a variable name that is not reserved.
  static bool settableVariable(const std::string& name);

 private:
  std::optional<std::string> locate(const std::string& program) const;
  std::vector<std::string> expand(const std::vector<std::string>& command, const HookContext& context,
                                  const std::vector<std::pair<std::string, std::string>>& variables) const;

  Services services_;
  Settings settings_;
};

}  // namespace ekaci::publish
