#include "kernel/nix/NixBuildExecutor.h"
#include "kernel/nix/NixEnvironment.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>
#include <optional>
#include <set>

namespace ekaci::nix {
namespace {

// nix-store's documented exit statuses for --realise (Nix 2.x): 100 plus bits for
// "a build failed" (0x04 set => 101 timed out, 0x02 => hash mismatch, 0x08 => not deterministic).
constexpr int kNixTimedOut = 101;
// Nix's internal-json log: activity types (actBuilds, actBuild) and the progress result.
constexpr int kActivityBuilds = 104;
constexpr int kActivityBuild = 105;
constexpr int kResultProgress = 105;

}  // namespace

std::vector<std::string> NixBuildExecutor::command(const std::vector<std::string>& drvPaths,
                                                   const BuilderSpec& builder) const {
  std::vector<std::string> argv = {nix_.nixStoreProgram, "--realise"};
  argv.insert(argv.end(), drvPaths.begin(), drvPaths.end());
  argv.insert(argv.end(),
              {"--max-silent-time", std::to_string(nix_.noOutputTimeout.count()), "--timeout",
               std::to_string(nix_.maxDuration.count()), "--option", "max-log-size", std::to_string(nix_.maxLogBytes)});
  for (const auto& [name, value] : nix_.options) {
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
  spec.argv = command({drvPath}, builder);
  spec.environment = NixEnvironment(nix_.passEnvironment).variables();
  spec.captureOutput = false;
  spec.noOutputTimeout = nix_.noOutputTimeout;
  // Nix enforces --timeout itself; the runner's cap is a few seconds later so that Nix can
  // report first, and catches a Nix that hangs.
  spec.timeout = nix_.maxDuration + std::chrono::seconds(5);
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
      outcome.detail = "ran longer than " + std::to_string(nix_.maxDuration.count()) + " s";
      break;
    case sdk::ProcessEnd::NoOutputTimedOut:
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::Timeout;
      outcome.detail = "no output for " + std::to_string(nix_.noOutputTimeout.count()) + " s";
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

namespace {

// Nix colours its messages even in JSON: drop "ESC [ ... letter" sequences.
std::string withoutColours(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      i += 2;
      while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The first /nix/store/...drv path quoted in a Nix message, or empty.
std::string quotedDrv(const std::string& message) {
  const auto start = message.find("'/nix/store/");
  if (start == std::string::npos) return {};
  const auto end = message.find('\'', start + 1);
  if (end == std::string::npos) return {};
  std::string path = message.substr(start + 1, end - start - 1);
  if (const auto bang = path.find('!'); bang != std::string::npos) path.resize(bang);  // "<drv>!*": its outputs
  return path.size() > 4 && path.compare(path.size() - 4, 4, ".drv") == 0 ? path : std::string();
}

}  // namespace

std::vector<BuildOutcome> NixBuildExecutor::run(const std::vector<BatchItem>& items, const BuilderSpec& builder,
                                                const std::atomic<bool>& cancel, const OnBuilt& built) const {
  if (items.size() == 1) return {build(items[0].drvPath, builder, *items[0].log, cancel)};
  return buildBatch(items, builder, cancel, built);
}

std::vector<BuildOutcome> NixBuildExecutor::buildBatch(const std::vector<BatchItem>& items, const BuilderSpec& builder,
                                                       const std::atomic<bool>& cancel, const OnBuilt& built) const {
  std::vector<std::string> drvs;
  std::map<std::string, std::size_t> indexOf;
  for (std::size_t i = 0; i < items.size(); ++i) {
    drvs.push_back(items[i].drvPath);
    indexOf[items[i].drvPath] = i;
    items[i].log->line("eka-ci: building " + items[i].drvPath + " on " + builder.name + " (batch of " +
                       std::to_string(items.size()) + ")");
  }
  sdk::ProcessSpec spec;
  spec.argv = command(drvs, builder);
  spec.argv.insert(spec.argv.end(), {"--keep-going", "--log-format", "internal-json"});
  spec.environment = NixEnvironment(nix_.passEnvironment).variables();
  spec.captureOutput = false;
  spec.noOutputTimeout = nix_.noOutputTimeout;
  spec.timeout = nix_.maxDuration * static_cast<int>(items.size()) + std::chrono::seconds(5);
  spec.cancel = &cancel;
  std::map<std::int64_t, std::size_t> activity;  // Nix activity id -> item
  std::vector<std::string> failure(items.size());
  std::vector<bool> timedOut(items.size(), false);
  std::vector<bool> reported(items.size(), false);
  // With one build at a time (a local batch), Nix's own progress counter says when the build
  // that started last is done: its outputs are registered before the counter moves.
  const bool sequential = builder.kind != BuilderKind::Remote;
  std::int64_t buildsActivity = -1, doneBuilds = 0;
  std::optional<std::size_t> current;
  Poco::JSON::Parser parser;
  auto onLine = [&](sdk::OutputStream, std::string_view line) {
    constexpr std::string_view kPrefix = "@nix ";
    if (line.substr(0, kPrefix.size()) != kPrefix) {
      for (const auto& item : items) item.log->line(line);
      return;
    }
    try {
      auto o = parser.parse(std::string(line.substr(kPrefix.size()))).extract<Poco::JSON::Object::Ptr>();
      parser.reset();
      const std::string action = o->optValue<std::string>("action", "");
      const int type = o->optValue<int>("type", 0);
      if (action == "start" && type == kActivityBuild) {
        auto fields = o->getArray("fields");
        if (fields && fields->size() > 0) {
          auto it = indexOf.find(fields->getElement<std::string>(0));
          if (it != indexOf.end()) {
            activity[o->getValue<std::int64_t>("id")] = it->second;
            current = it->second;
          }
        }
      } else if (action == "start" && type == kActivityBuilds) {
        buildsActivity = o->getValue<std::int64_t>("id");
      } else if (action == "result" && type == kResultProgress && o->getValue<std::int64_t>("id") == buildsActivity) {
        auto fields = o->getArray("fields");
        if (!fields || fields->size() < 4) return;
        const auto done = fields->getElement<std::int64_t>(0);
        if (done > doneBuilds && sequential && current && !reported[*current] && built) {
          reported[*current] = true;
          BuildOutcome outcome;
          outcome.kind = BuildOutcome::Kind::Success;
          outcome.detail = "built";
          items[*current].log->line("eka-ci: built (nix counted it done)");
          built(*current, outcome);
        }
        doneBuilds = std::max(doneBuilds, done);
      } else if (action == "result" && o->optValue<int>("type", 0) == 101) {  // a log line of a build
        auto it = activity.find(o->getValue<std::int64_t>("id"));
        auto fields = o->getArray("fields");
        if (it != activity.end() && fields && fields->size() > 0)
          items[it->second].log->line(fields->getElement<std::string>(0));
      } else if (action == "msg") {
        const std::string text =
            withoutColours(o->optValue<std::string>("raw_msg", o->optValue<std::string>("msg", "")));
        auto it = indexOf.find(quotedDrv(text));
        if (it == indexOf.end()) return;
        items[it->second].log->line(text);
        if (o->optValue<int>("level", 3) == 0) {
          if (text.find("timed out") != std::string::npos) timedOut[it->second] = true;
          failure[it->second] = text;
        }
      }
    } catch (const std::exception&) {
      parser.reset();  // not Nix's JSON: ignore the line
    }
  };
  auto result = processes_.run(spec, onLine);

  std::vector<BuildOutcome> outcomes(items.size());
  // nix-store --realise exits 0 only when every path was realised: nothing to check.
  if (result && result->end == sdk::ProcessEnd::Exited && result->exitCode == 0) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      outcomes[i].kind = BuildOutcome::Kind::Success;
      outcomes[i].detail = "built";
      outcomes[i].exitCode = 0;
      outcomes[i].elapsed = result->elapsed / static_cast<int>(items.size());
      if (!reported[i]) items[i].log->line("eka-ci: built");
    }
    return outcomes;
  }
  // Otherwise which outputs exist now decides success.
  std::set<std::string> invalid;
  sdk::ProcessSpec check;
  check.argv = {nix_.nixStoreProgram, "--check-validity", "--print-invalid"};
  for (const auto& item : items) check.argv.insert(check.argv.end(), item.outputs.begin(), item.outputs.end());
  check.environment = NixEnvironment(nix_.passEnvironment).variables();
  check.timeout = std::chrono::minutes(2);
  auto checked = processes_.run(check);
  const bool checkedOk = checked && checked->end == sdk::ProcessEnd::Exited && checked->exitCode == 0;
  if (checkedOk) {
    std::size_t start = 0;
    const std::string& text = checked->stdoutText;
    while (start < text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      if (end > start) invalid.insert(text.substr(start, end - start));
      start = end + 1;
    }
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    BuildOutcome& outcome = outcomes[i];
    if (result) {
      outcome.elapsed = result->elapsed / static_cast<int>(items.size());
      outcome.exitCode = result->exitCode;
    }
    bool valid = checkedOk && !items[i].outputs.empty();
    for (const auto& output : items[i].outputs) valid = valid && invalid.count(output) == 0;
    if (valid) {
      outcome.kind = BuildOutcome::Kind::Success;
      outcome.detail = "built";
    } else if (timedOut[i]) {
      outcome.kind = BuildOutcome::Kind::Interrupted;
      outcome.interrupt = InterruptKind::Timeout;
      outcome.detail = "nix stopped the build: " + failure[i];
    } else if (!failure[i].empty()) {
      outcome.kind = BuildOutcome::Kind::Failure;
      const auto code = failure[i].find("exit code ");
      outcome.detail = code != std::string::npos ? failure[i].substr(code) : failure[i];
    } else {
      outcome.kind = BuildOutcome::Kind::Interrupted;
      const auto end = result ? result->end : sdk::ProcessEnd::Signaled;
      outcome.interrupt = end == sdk::ProcessEnd::Cancelled ? InterruptKind::Cancelled
                          : end == sdk::ProcessEnd::TimedOut || end == sdk::ProcessEnd::NoOutputTimedOut
                              ? InterruptKind::Timeout
                          : end == sdk::ProcessEnd::MemoryExceeded ? InterruptKind::OutOfMemory
                                                                   : InterruptKind::ProcessDeath;
      outcome.detail = result ? "nix-store ended (" + std::to_string(result->exitCode) + ") without building it"
                              : "cannot start nix-store: " + result.error().message();
    }
    items[i].log->line("eka-ci: " + outcome.detail);
  }
  return outcomes;
}

bool NixBuildExecutor::ping(const BuilderSpec& builder) const {
  sdk::ProcessSpec spec;
  std::string uri = builder.uri;
  if (!builder.sshKey.empty())
    uri += (uri.find('?') == std::string::npos ? "?" : "&") + std::string("ssh-key=") + builder.sshKey;
  spec.argv = {nix_.nixProgram, "--extra-experimental-features", "nix-command", "store", "ping", "--store", uri};
  spec.environment = NixEnvironment(nix_.passEnvironment).variables();
  spec.timeout = std::chrono::seconds(15);
  auto result = processes_.run(spec);
  return result && result->succeeded();
}

}  // namespace ekaci::nix
