#include "NixBatchEvaluator.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "EvalResultDecoder.h"

namespace ekaci::plugins::evaluators {
namespace {

constexpr const char* kExpression =
#include "evaluate.nix.inc"
    ;

std::string pathsJson(const std::vector<std::vector<std::string>>& paths) {
  Poco::JSON::Array array;
  for (const auto& path : paths) {
    Poco::JSON::Array::Ptr p = new Poco::JSON::Array;
    for (const auto& name : path) p->add(name);
    array.add(p);
  }
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

std::string joinLabel(const std::string& label, const std::string& attr) {
  if (label.empty()) return attr;
  if (attr.empty()) return label;
  return label + "." + attr;
}

struct Task {
  enum class Type { Describe, Explain } type = Type::Describe;
  std::size_t root = 0;
  std::vector<std::vector<std::string>> paths;
};

}  // namespace

std::string NixBatchEvaluator::errorMessage(const std::string& stderrText) {
  std::string clean;
  clean.reserve(stderrText.size());
  for (std::size_t i = 0; i < stderrText.size(); ++i) {
    if (stderrText[i] == '\x1b' && i + 1 < stderrText.size() && stderrText[i + 1] == '[') {
      i += 2;
      while (i < stderrText.size() && !std::isalpha(static_cast<unsigned char>(stderrText[i]))) ++i;
      continue;
    }
    clean.push_back(stderrText[i]);
  }
  auto start = clean.find("error:");
  if (start == std::string::npos) start = 0;
  std::string message = clean.substr(start);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  constexpr std::size_t kLimit = 4000;
  if (message.size() > kLimit) message = message.substr(0, kLimit) + " [...]";
  return message.empty() ? "evaluation failed (no message)" : message;
}

namespace {
// `text` as a Nix string literal.
std::string nixString(const std::string& text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '$' && i + 1 < text.size() && text[i + 1] == '{') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}
}  // namespace

std::string NixBatchEvaluator::nixEvalJobsProgram() const {
  if (options_.nixEvalJobs == "never") return "";
  if (options_.nixEvalJobs != "auto") return options_.nixEvalJobs;
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    auto colon = dirs.find(':', start);
    std::string dir = dirs.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    start = colon == std::string::npos ? dirs.size() + 1 : colon + 1;
    if (dir.empty()) continue;
    const std::string candidate = dir + "/nix-eval-jobs";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

sdk::Result<sdk::EvalSummary> NixBatchEvaluator::evaluateWithNixEvalJobs(const std::string& program,
                                                                         const sdk::EvalRequest& request,
                                                                         const std::string& target,
                                                                         const std::vector<Root>& roots,
                                                                         const sdk::EvalSink& sink) {
  sdk::EvalSummary summary;
  for (const auto& root : roots) {
    // The package set, selected by the root's attribute path, as an expression.
    std::string selector;
    for (const auto& name : root.path) selector += "." + nixString(name);
    const std::string expression = "let raw = import (/. + " + nixString(target) +
                                   "); top = if builtins.isFunction raw then raw { } else raw; in top" + selector;
    sdk::ProcessSpec spec;
    spec.argv = {program, "--meta", "--workers", std::to_string(std::max<std::size_t>(1, request.workers)),
                 "--max-memory-size", std::to_string(request.maxMemoryMiBPerWorker), "--option",
                 "allow-import-from-derivation", options_.allowImportFromDerivation ? "true" : "false", "--expr",
                 expression};
    const char* path = std::getenv("PATH");
    spec.environment = {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
                        {"HOME", host_.stateDirectory().string()},
                        {"NIX_PATH", ""},
                        {"TMPDIR", "/tmp"}};
    spec.workingDirectory = request.checkoutDirectory;
    spec.cancel = request.cancel;
    spec.captureOutput = false;
    std::optional<sdk::Error> malformed;
    std::string stderrTail;
    auto ran = host_.processes().run(spec, [&](sdk::OutputStream stream, std::string_view line) {
      if (stream == sdk::OutputStream::Stderr) {
        stderrTail.append(line).push_back('\n');
        if (stderrTail.size() > 16384) stderrTail.erase(0, stderrTail.size() - 16384);
        return;
      }
      if (line.empty() || malformed) return;
      auto decoded = EvalResultDecoder::decodeNixEvalJobsLine(std::string(line));
      if (!decoded) {
        malformed = decoded.error();
        return;
      }
      decoded->item.attrPath = root.label.empty() ? decoded->item.attrPath : root.label + "." + decoded->item.attrPath;
      ++summary.attributes;
      if (decoded->item.error) {
        decoded->item.error = errorMessage(*decoded->item.error);
        ++summary.errors;
      }
      sink(std::move(decoded->item));
    });
    if (!ran) return std::move(ran).error();
    if (ran->end == sdk::ProcessEnd::Cancelled) return sdk::Error(sdk::ErrorCode::Cancelled, "evaluation cancelled");
    if (malformed) return sdk::Error(malformed->code(), "nix-eval-jobs output: " + malformed->message());
    if (!ran->succeeded()) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument,
                        "the package set does not evaluate (nix-eval-jobs): " + errorMessage(stderrTail));
    }
  }
  return summary;
}

sdk::Result<sdk::EvalSummary> NixBatchEvaluator::evaluate(const sdk::EvalRequest& request, const std::string& mode,
                                                          const std::string& target, const std::vector<Root>& roots,
                                                          const sdk::EvalSink& sink) {
  auto cancelled = [&] { return request.cancel != nullptr && request.cancel->load(); };
  if (cancelled()) return sdk::Error(sdk::ErrorCode::Cancelled, "evaluation cancelled before it started");
  if (mode == "legacy") {
    if (auto program = nixEvalJobsProgram(); !program.empty()) {
      return evaluateWithNixEvalJobs(program, request, target, roots, sink);
    }
  }

  // Shared state: the task queue (workers) and the result queue (this thread delivers).
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Task> tasks;
  std::deque<sdk::EvalItem> results;
  std::size_t inflight = 0;
  std::size_t explained = 0;
  std::optional<sdk::Error> fatal;
  std::vector<std::string> warnings;

  for (std::size_t r = 0; r < roots.size(); ++r) tasks.push_back(Task{Task::Type::Describe, r, {{}}});

  auto runBatch = [&](const Task& task, std::string& stderrText, sdk::ProcessEnd& end) -> std::optional<std::string> {
    Poco::JSON::Array rootArray;
    for (const auto& name : roots[task.root].path) rootArray.add(name);
    std::ostringstream rootJson;
    rootArray.stringify(rootJson);
    sdk::ProcessSpec spec;
    spec.argv = {options_.nixInstantiate, "--eval", "--strict", "--json", "--read-write-mode",
                 "--option", "allow-import-from-derivation", options_.allowImportFromDerivation ? "true" : "false"};
    if (mode == "legacy" && options_.restrictEval) {
      spec.argv.insert(spec.argv.end(), {"--option", "restrict-eval", "true", "-I", request.checkoutDirectory});
    }
    if (mode == "flake") spec.argv.insert(spec.argv.end(), {"--extra-experimental-features", "nix-command flakes"});
    for (const auto& entry : options_.nixPath) spec.argv.insert(spec.argv.end(), {"-I", entry});
    spec.argv.insert(spec.argv.end(), {"--argstr", "file", target, "--argstr", "mode", mode, "--argstr", "rootJson",
                                       rootJson.str(), "--argstr", "pathsJson", pathsJson(task.paths), "--argstr",
                                       "explain", task.type == Task::Type::Explain ? "1" : "0", "-E", kExpression});
    // A minimal environment: nothing of the server's (no secrets) reaches evaluated code.
    const char* path = std::getenv("PATH");
    spec.environment = {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
                        {"HOME", host_.stateDirectory().string()},
                        {"NIX_PATH", ""},
                        {"TMPDIR", "/tmp"}};
    if (const char* remote = std::getenv("NIX_REMOTE")) spec.environment.emplace_back("NIX_REMOTE", remote);
    spec.workingDirectory = request.checkoutDirectory;
    spec.timeout = options_.batchTimeout;
    spec.maxResidentBytes = request.maxMemoryMiBPerWorker * 1024 * 1024;
    spec.cancel = request.cancel;
    auto ran = host_.processes().run(spec);
    if (!ran) {
      stderrText = ran.error().message();
      end = sdk::ProcessEnd::Signaled;
      return std::nullopt;
    }
    stderrText = ran->stderrText;
    end = ran->end;
    if (!ran->succeeded()) return std::nullopt;
    return ran->stdoutText;
  };

  auto failureReason = [&](sdk::ProcessEnd end, const std::string& stderrText) {
    switch (end) {
      case sdk::ProcessEnd::MemoryExceeded:
        return "evaluation exceeded the memory limit of " + std::to_string(request.maxMemoryMiBPerWorker) + " MiB";
      case sdk::ProcessEnd::TimedOut:
        return "evaluation timed out after " + std::to_string(options_.batchTimeout.count()) + " s";
      default:
        return errorMessage(stderrText);
    }
  };

  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait(lock, [&] { return !tasks.empty() || (inflight == 0 && tasks.empty()) || fatal || cancelled(); });
      if (fatal || cancelled() || (tasks.empty() && inflight == 0)) {
        wake.notify_all();
        return;
      }
      Task task = std::move(tasks.front());
      tasks.pop_front();
      ++inflight;
      lock.unlock();

      std::string stderrText;
      sdk::ProcessEnd end = sdk::ProcessEnd::Exited;
      auto output = runBatch(task, stderrText, end);
      std::deque<sdk::EvalItem> produced;
      std::deque<Task> more;
      std::optional<sdk::Error> failure;
      const std::string& label = roots[task.root].label;

      if (task.type == Task::Type::Explain) {
        sdk::EvalItem item;
        item.attrPath = joinLabel(label, EvalResultDecoder::attrPath(task.paths.front()));
        item.error = output ? std::string("evaluation failed, but succeeded when evaluated alone (non-deterministic)")
                            : failureReason(end, stderrText);
        produced.push_back(std::move(item));
      } else if (output) {
        auto decoded = EvalResultDecoder::decodeBatch(*output);
        if (!decoded || decoded->size() != task.paths.size()) {
          output.reset();
          stderrText = decoded ? "evaluator returned a result of the wrong length" : decoded.error().message();
        } else {
          std::vector<std::vector<std::string>> children;
          for (auto& result : *decoded) {
            switch (result.kind) {
              case EvalResult::Kind::Derivation:
                result.item.attrPath = joinLabel(label, result.item.attrPath);
                produced.push_back(std::move(result.item));
                break;
              case EvalResult::Kind::Error:
                more.push_back(Task{Task::Type::Explain, task.root, {result.path}});
                break;
              case EvalResult::Kind::Recurse:
                for (const auto& name : result.names) {
                  auto child = result.path;
                  child.push_back(name);
                  children.push_back(std::move(child));
                }
                break;
              case EvalResult::Kind::Skip:
                break;
            }
          }
          for (std::size_t i = 0; i < children.size(); i += options_.batchSize) {
            Task t{Task::Type::Describe, task.root, {}};
            for (std::size_t j = i; j < std::min(children.size(), i + options_.batchSize); ++j) {
              t.paths.push_back(std::move(children[j]));
            }
            more.push_back(std::move(t));
          }
        }
      }
      if (task.type == Task::Type::Describe && !output) {
        if (end == sdk::ProcessEnd::Cancelled) {
          // nothing: the evaluation is being abandoned
        } else if (task.paths.size() == 1 && task.paths.front().empty()) {
          failure = sdk::Error(sdk::ErrorCode::InvalidArgument,
                               "the package set does not evaluate: " + failureReason(end, stderrText));
        } else if (task.paths.size() > 1) {
          // Bisect: the culprit is in one of the halves.
          const auto half = task.paths.size() / 2;
          more.push_back(Task{Task::Type::Describe, task.root, {task.paths.begin(), task.paths.begin() + half}});
          more.push_back(Task{Task::Type::Describe, task.root, {task.paths.begin() + half, task.paths.end()}});
        } else {
          sdk::EvalItem item;
          item.attrPath = joinLabel(label, EvalResultDecoder::attrPath(task.paths.front()));
          item.error = failureReason(end, stderrText);
          produced.push_back(std::move(item));
        }
      }

      lock.lock();
      --inflight;
      if (failure && !fatal) fatal = std::move(failure);
      for (auto& t : more) {
        if (t.type == Task::Type::Explain && explained >= options_.maxErrorMessages) {
          sdk::EvalItem item;
          item.attrPath = joinLabel(label, EvalResultDecoder::attrPath(t.paths.front()));
          item.error = "evaluation failed (message not collected: more than " +
                       std::to_string(options_.maxErrorMessages) + " failing attributes)";
          produced.push_back(std::move(item));
          continue;
        }
        if (t.type == Task::Type::Explain) ++explained;
        tasks.push_back(std::move(t));
      }
      for (auto& item : produced) results.push_back(std::move(item));
      wake.notify_all();
    }
  };

  const std::size_t workerCount = std::max<std::size_t>(1, request.workers);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < workerCount; ++i) threads.emplace_back(worker);

  sdk::EvalSummary summary;
  {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait_for(lock, std::chrono::milliseconds(200),
                    [&] { return !results.empty() || (tasks.empty() && inflight == 0) || fatal; });
      while (!results.empty()) {
        sdk::EvalItem item = std::move(results.front());
        results.pop_front();
        lock.unlock();
        ++summary.attributes;
        if (item.error) ++summary.errors;
        sink(std::move(item));
        lock.lock();
      }
      if (fatal || cancelled() || (tasks.empty() && inflight == 0)) break;
    }
    wake.notify_all();
  }
  for (auto& t : threads) t.join();
  if (cancelled()) return sdk::Error(sdk::ErrorCode::Cancelled, "evaluation cancelled");
  if (fatal) return *fatal;
  summary.warnings = std::move(warnings);
  return summary;
}

}  // namespace ekaci::plugins::evaluators
