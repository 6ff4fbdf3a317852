#include "NixBatchEvaluator.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
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
    std::string candidate = dir + "/nix-eval-jobs";
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

  // Runs one worker process. Describe batches stream one result per attribute (stderr
  // "trace: EKACI:" lines, in order) to `onResult`; other stderr lines are kept for errors.
  auto runBatch = [&](const Task& task, const std::function<void(EvalResult&&)>& onResult, std::string& stderrText,
                      sdk::ProcessEnd& end, std::optional<std::string>& protocolError) -> bool {
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
    spec.captureOutput = false;
    constexpr std::string_view kMarker = "trace: EKACI:";
    auto ran = host_.processes().run(spec, [&](sdk::OutputStream stream, std::string_view line) {
      if (stream != sdk::OutputStream::Stderr) return;
      if (line.substr(0, kMarker.size()) == kMarker) {
        auto decoded = EvalResultDecoder::decodeResult(std::string(line.substr(kMarker.size())));
        if (!decoded) {
          if (!protocolError) protocolError = decoded.error().message();
          return;
        }
        onResult(std::move(decoded).value());
        return;
      }
      if (stderrText.size() < 65536) stderrText.append(line).push_back('\n');
    });
    if (!ran) {
      stderrText = ran.error().message();
      end = sdk::ProcessEnd::Signaled;
      return false;
    }
    end = ran->end;
    return ran->succeeded() && !protocolError;
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

  // Big sets are cut into a few large batches per worker: each worker process pays for
  // importing the package set once per batch.
  const std::size_t workerCount = std::max<std::size_t>(1, request.workers);
  auto chunkSize = [&](std::size_t children) {
    return std::clamp<std::size_t>(children / (workerCount * 4), options_.batchSize, std::max<std::size_t>(options_.batchSize, 5000));
  };

  // Queues the tasks a described attribute leads to, delivers what it produced. Under the lock.
  auto absorb = [&](std::size_t rootIndex, EvalResult&& result) {
    const std::string& label = roots[rootIndex].label;
    switch (result.kind) {
      case EvalResult::Kind::Derivation:
        result.item.attrPath = joinLabel(label, result.item.attrPath);
        results.push_back(std::move(result.item));
        break;
      case EvalResult::Kind::Error:
        if (explained >= options_.maxErrorMessages) {
          sdk::EvalItem item;
          item.attrPath = joinLabel(label, result.item.attrPath);
          item.error = "evaluation failed (message not collected: more than " +
                       std::to_string(options_.maxErrorMessages) + " failing attributes)";
          results.push_back(std::move(item));
        } else {
          ++explained;
          tasks.push_back(Task{Task::Type::Explain, rootIndex, {result.path}});
        }
        break;
      case EvalResult::Kind::Recurse: {
        std::vector<std::vector<std::string>> children;
        children.reserve(result.names.size());
        for (const auto& name : result.names) {
          auto child = result.path;
          child.push_back(name);
          children.push_back(std::move(child));
        }
        const std::size_t chunk = chunkSize(children.size());
        for (std::size_t i = 0; i < children.size(); i += chunk) {
          Task t{Task::Type::Describe, rootIndex, {}};
          for (std::size_t j = i; j < std::min(children.size(), i + chunk); ++j) t.paths.push_back(std::move(children[j]));
          tasks.push_back(std::move(t));
        }
        break;
      }
      case EvalResult::Kind::Skip:
        break;
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
      std::optional<std::string> protocolError;
      std::size_t reported = 0;
      const std::string& label = roots[task.root].label;
      const bool ok = runBatch(
          task,
          [&](EvalResult&& result) {
            std::lock_guard guard(mutex);
            if (reported < task.paths.size()) absorb(task.root, std::move(result));
            ++reported;
            wake.notify_all();
          },
          stderrText, end, protocolError);

      lock.lock();
      --inflight;
      if (task.type == Task::Type::Explain) {
        sdk::EvalItem item;
        item.attrPath = joinLabel(label, EvalResultDecoder::attrPath(task.paths.front()));
        item.error = ok ? std::string("evaluation failed, but succeeded when evaluated alone (non-deterministic)")
                        : failureReason(end, stderrText);
        results.push_back(std::move(item));
      } else if ((!ok || reported < task.paths.size()) && end != sdk::ProcessEnd::Cancelled) {
        if (task.paths.size() == 1 && task.paths.front().empty() && reported == 0) {
          if (!fatal) {
            fatal = sdk::Error(sdk::ErrorCode::InvalidArgument,
                               "the package set does not evaluate: " +
                                   (protocolError ? *protocolError : failureReason(end, stderrText)));
          }
        } else if (reported == 0 || protocolError) {
          // The first attribute not described is the culprit when nothing came before it.
          const std::size_t culprit = std::min(reported, task.paths.size() - 1);
          sdk::EvalItem item;
          item.attrPath = joinLabel(label, EvalResultDecoder::attrPath(task.paths[culprit]));
          item.error = protocolError ? "evaluator output was malformed: " + *protocolError : failureReason(end, stderrText);
          results.push_back(std::move(item));
          if (culprit + 1 < task.paths.size()) {
            tasks.push_back(Task{Task::Type::Describe, task.root,
                                 {task.paths.begin() + static_cast<std::ptrdiff_t>(culprit + 1), task.paths.end()}});
          }
        } else if (reported < task.paths.size()) {
          // Restart in a fresh process from the first attribute not described: if it fails
          // again with nothing before it, it is the culprit (above).
          tasks.push_back(Task{Task::Type::Describe, task.root,
                               {task.paths.begin() + static_cast<std::ptrdiff_t>(reported), task.paths.end()}});
        }
      }
      wake.notify_all();
    }
  };

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
