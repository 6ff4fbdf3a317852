#include "kernel/publish/HookRunner.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "kernel/config/HookAllowList.h"
#include "kernel/nix/BuildLogStore.h"

namespace ekaci::publish {
namespace {

constexpr const char* kReserved[] = {"DRV_PATH",           "OUT_PATHS",      "EKA_JOB_NAME", "EKA_IS_FOD",
                                     "EKA_SYSTEM",         "TMPDIR",         "HOME",         "EKA_PNAME",
                                     "EKA_BUILD_LOG_PATH", "EKA_COMMIT_SHA", "PATH"};

std::string substitute(const std::string& text, const std::vector<std::pair<std::string, std::string>>& variables) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i++];
      continue;
    }
    const bool braced = text[i + 1] == '{';
    std::size_t start = i + (braced ? 2 : 1), end = start;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) != 0 || text[end] == '_')) ++end;
    if (end == start || (braced && (end >= text.size() || text[end] != '}'))) {
      out += text[i++];
      continue;
    }
    const std::string name = text.substr(start, end - start);
    auto it = std::find_if(variables.begin(), variables.end(), [&](const auto& v) { return v.first == name; });
    if (it == variables.end()) {
      out += text.substr(i, end + (braced ? 1 : 0) - i);  // not a hook variable: left as written
    } else {
      out += it->second;
    }
    i = end + (braced ? 1 : 0);
  }
  return out;
}

}  // namespace

HookRunner::HookRunner(Services services, Settings settings) : services_(services), settings_(std::move(settings)) {
  if (settings_.searchPath.empty()) {
    const char* path = std::getenv("PATH");
    settings_.searchPath = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  }
}

bool HookRunner::validName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

bool HookRunner::settableVariable(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())) != 0) return false;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return false;
  }
  if (name.rfind("LD_", 0) == 0) return false;
  return std::find(std::begin(kReserved), std::end(kReserved), name) == std::end(kReserved);
}

std::optional<std::filesystem::path> HookRunner::logPathOf(const std::string& hash, const std::string& name) const {
  if (!nix::BuildLogStore::validHash(hash) || !validName(name)) return std::nullopt;
  return settings_.logsDir / hash / ("hook-" + name + ".log");
}

std::optional<std::string> HookRunner::locate(const std::string& program) const {
  std::size_t start = 0;
  while (start <= settings_.searchPath.size()) {
    const auto colon = settings_.searchPath.find(':', start);
    const std::string dir =
        settings_.searchPath.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (!dir.empty() && dir.front() == '/') {
      const std::filesystem::path candidate = std::filesystem::path(dir) / program;
      std::error_code ec;
      if (std::filesystem::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) {
        return candidate.string();
      }
    }
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return std::nullopt;
}

std::vector<std::string> HookRunner::expand(const std::vector<std::string>& command, const HookContext& context,
                                            const std::vector<std::pair<std::string, std::string>>& variables) const {
  std::vector<std::string> argv;
  for (std::size_t i = 0; i < command.size(); ++i) {
    if (i > 0 && (command[i] == "$OUT_PATHS" || command[i] == "${OUT_PATHS}")) {
      argv.insert(argv.end(), context.outputs.begin(), context.outputs.end());
    } else {
      argv.push_back(i == 0 ? command[i] : substitute(command[i], variables));
    }
  }
  return argv;
}

sdk::Result<HookRunner::Outcome> HookRunner::run(const config::HookConfig& hook, const HookContext& context) {
  if (!validName(hook.name)) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "hook name '" + hook.name + "' is not 1-64 of [A-Za-z0-9._-]");
  }
  const std::string program = hook.command.empty() ? "" : hook.command.front();
  // Checked again at run time: the configuration that allowed it may have been read by
  // another server version or changed since.
  if (!config::HookAllowList::allows(settings_.allowedCommands, program)) {
    return sdk::Error(sdk::ErrorCode::HookNotAllowed,
                      "hook '" + hook.name + "': '" + program + "' is not in security.allowed_hook_commands");
  }
  const auto located = locate(program);
  if (!located) {
    return sdk::Error(sdk::ErrorCode::HookNotAllowed, "hook '" + hook.name + "': '" + program + "' is not on PATH");
  }
  auto hash = nix::BuildLogStore::drvHash(context.drvPath);
  if (!hash) return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a derivation path: " + context.drvPath);

  auto variables = context.variables();
  for (const auto& entry : hook.env) {
    const std::string& name = entry.first;
    const std::string& value = entry.second;
    if (!settableVariable(name)) {
      services_.logger.warn("hook env entry ignored: reserved or not a variable name",
                            {{"hook", hook.name}, {"variable", name}});
      continue;
    }
    auto it = std::find_if(variables.begin(), variables.end(), [&](const auto& v) { return v.first == name; });
    if (it != variables.end()) {
      it->second = value;
    } else {
      variables.emplace_back(name, value);
    }
  }
  sdk::ProcessSpec spec;
  spec.argv = expand(hook.command, context, variables);
  spec.argv.front() = *located;
  spec.environment = variables;
  spec.environment.emplace_back("PATH", settings_.searchPath);
  spec.inheritEnvironment = false;
  spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(settings_.timeout);
  spec.captureOutput = false;

  Outcome outcome;
  outcome.logPath = *logPathOf(*hash, hook.name);
  std::error_code ec;
  std::filesystem::create_directories(outcome.logPath.parent_path(), ec);
  std::ofstream log(outcome.logPath, std::ios::binary | std::ios::trunc);
  if (!log) return sdk::Error(sdk::ErrorCode::IoError, "cannot write " + outcome.logPath.string());
  std::size_t written = 0;
  bool cut = false;
  auto onLine = [&](sdk::OutputStream, std::string_view line) {
    if (cut) return;
    if (written + line.size() + 1 > settings_.maxLogBytes) {
      log << "[eka-ci: hook log cut at " << settings_.maxLogBytes << " bytes]\n";
      cut = true;
      return;
    }
    log.write(line.data(), static_cast<std::streamsize>(line.size()));
    log.put('\n');
    written += line.size() + 1;
  };

  storage::HookRunRecord row;
  row.drvId = context.drvId;
  row.hookName = hook.name;
  row.startedAt = std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
  row.logPath = outcome.logPath.string();
  std::int64_t rowId = 0;
  if (context.drvId > 0) {
    if (auto started = services_.storage.startHookRun(row)) rowId = *started;
  }

  // A directory of its own to work in, removed afterwards.
  std::string scratch = (std::filesystem::temp_directory_path(ec) / "ekaci-hook-XXXXXX").string();
  if (::mkdtemp(scratch.data()) == nullptr)
    return sdk::Error(sdk::ErrorCode::IoError, "cannot create a hook directory");
  spec.workingDirectory = scratch;
  spec.environment.emplace_back("TMPDIR", scratch);
  spec.environment.emplace_back("HOME", scratch);
  auto ran = services_.processes.run(spec, onLine);
  std::filesystem::remove_all(scratch, ec);
  std::optional<std::int64_t> exitCode;
  if (!ran) {
    outcome.detail = "could not start: " + ran.error().message();
  } else if (ran->end == sdk::ProcessEnd::TimedOut || ran->end == sdk::ProcessEnd::NoOutputTimedOut) {
    outcome.detail =
        "stopped after " + std::to_string(settings_.timeout.count()) + " s (security.max_hook_timeout_seconds)";
  } else if (ran->end == sdk::ProcessEnd::Exited) {
    exitCode = ran->exitCode;
    outcome.success = ran->exitCode == 0;
    outcome.detail = "exit status " + std::to_string(ran->exitCode);
  } else {
    outcome.detail = "killed by signal " + std::to_string(ran->signal);
  }
  log << "[eka-ci: hook " << hook.name << " ended: " << outcome.detail << "]\n";
  log.close();
  const auto finished =
      std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
  if (rowId > 0) {
    if (auto saved = services_.storage.finishHookRun(rowId, finished, exitCode, outcome.success); !saved) {
      services_.logger.warn("cannot record a hook run", {{"hook", hook.name}, {"error", saved.error().describe()}});
    }
  }
  services_.metrics
      .counter("hook_runs_total", "Post-build hook runs by result",
               {{"result", outcome.success ? "success" : "failure"}})
      .increment();
  if (settings_.audit) {
    std::string command;
    for (const auto& a : hook.command) command += (command.empty() ? "" : " ") + a;
    services_.logger.info("audit: post-build hook ran", {{"audit", "hook"},
                                                         {"repository", context.repository},
                                                         {"job", context.jobName},
                                                         {"hook", hook.name},
                                                         {"command", command},
                                                         {"drv", context.drvPath},
                                                         {"commit", context.commitSha},
                                                         {"result", outcome.detail}});
  }
  if (!outcome.success) {
    services_.logger.warn("post-build hook failed; the build stays successful",
                          {{"hook", hook.name}, {"drv", context.drvPath}, {"result", outcome.detail}});
  }
  return outcome;
}

}  // namespace ekaci::publish
