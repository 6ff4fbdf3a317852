#include "kernel/scheduler/NixBuildExecutor.h"

namespace ekaci::scheduler {
namespace {

// nix-store's documented exit statuses for --realise (Nix 2.x): 100 plus bits for
// "a build failed" (0x04 set => 101 timed out, 0x02 => hash mismatch, 0x08 => not deterministic).
constexpr int kNixTimedOut = 101;

}  // namespace

std::vector<std::string> NixBuildExecutor::command(const std::string& drvPath, const BuilderSpec& builder) const {
  std::vector<std::string> argv = {config_.nixStoreProgram,
                                   "--realise",
                                   drvPath,
                                   "--max-silent-time",
                                   std::to_string(config_.noOutputTimeout.count()),
                                   "--timeout",
                                   std::to_string(config_.maxDuration.count())};
  for (const auto& [name, value] : config_.nixOptions) {
    argv.insert(argv.end(), {"--option", name, value});
  }
  if (builder.kind == BuilderKind::Remote) {
    argv.insert(argv.end(), {"--max-jobs", "0", "--option", "builders", builder.machinesLine()});
  } else {
    argv.insert(argv.end(), {"--max-jobs", "1", "--option", "builders", ""});
  }
  return argv;
}

BuildOutcome NixBuildExecutor::build(const std::string& drvPath, const BuilderSpec& builder, BuildLogStore::Writer& log,
                                     const std::atomic<bool>& cancel) const {
  sdk::ProcessSpec spec;
  spec.argv = command(drvPath, builder);
  spec.inheritEnvironment = true;
  spec.captureOutput = false;
  spec.noOutputTimeout = config_.noOutputTimeout;
  // Nix enforces --timeout itself; the runner's cap is a few seconds later so that Nix can
  // report first, and catches a Nix that hangs.
  spec.timeout = config_.maxDuration + std::chrono::seconds(5);
  spec.cancel = &cancel;
  log.line("eka-ci: building " + drvPath + " on " + builder.name);
  auto result = processes_.run(spec, [&](sdk::OutputStream, std::string_view line) { log.line(line); });
  BuildOutcome outcome;
  if (!result) {
    outcome.kind = BuildOutcome::Kind::Interrupted;
    outcome.interrupt = InterruptKind::ProcessDeath;
    outcome.detail = "cannot start nix-store: " + result.error().message();
    log.line("eka-ci: " + outcome.detail);
    return outcome;
  }
  outcome.elapsed = result->elapsed;
  outcome.exitCode = result->exitCode;
  switch (result->end) {
    case sdk::ProcessEnd::Exited:
      if (result->exitCode == 0) {
        outcome.kind = BuildOutcome::Kind::Success;
        outcome.detail = "built";
      } else if (result->exitCode == kNixTimedOut) {
        outcome.kind = BuildOutcome::Kind::Interrupted;
        outcome.interrupt = InterruptKind::Timeout;
        outcome.detail = "nix stopped the build: timed out";
      } else {
        outcome.kind = BuildOutcome::Kind::Failure;
        outcome.detail = "exit code " + std::to_string(result->exitCode);
      }
      break;
    case sdk::ProcessEnd::TimedOut:
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::Timeout;
      outcome.detail = "ran longer than " + std::to_string(config_.maxDuration.count()) + " s";
      break;
    case sdk::ProcessEnd::NoOutputTimedOut:
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::Timeout;
      outcome.detail = "no output for " + std::to_string(config_.noOutputTimeout.count()) + " s";
      break;
    case sdk::ProcessEnd::Cancelled:
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::Cancelled;
      outcome.detail = "cancelled";
      break;
    case sdk::ProcessEnd::MemoryExceeded:
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::OutOfMemory;
      outcome.detail = "out of memory";
      break;
    case sdk::ProcessEnd::Signaled:
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::ProcessDeath;
      outcome.detail = "nix-store died of signal " + std::to_string(result->signal);
      break;
  }
  log.line("eka-ci: " + outcome.detail + " after " + std::to_string(outcome.elapsed.count()) + " ms");
  return outcome;
}

bool NixBuildExecutor::ping(const BuilderSpec& builder) const {
  sdk::ProcessSpec spec;
  spec.argv = {config_.nixProgram, "--extra-experimental-features", "nix-command", "store", "ping", "--store", builder.uri};
  if (!builder.sshKey.empty()) spec.argv.insert(spec.argv.end(), {"--option", "ssh-key", builder.sshKey});
  spec.inheritEnvironment = true;
  spec.timeout = std::chrono::seconds(15);
  auto result = processes_.run(spec);
  return result && result->succeeded();
}

}  // namespace ekaci::scheduler
