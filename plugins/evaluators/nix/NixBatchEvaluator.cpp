#include "NixBatchEvaluator.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "EvalResultDecoder.h"

namespace ekaci::plugins::evaluators {
namespace {

constexpr const char* kExpression =
#include "evaluate.nix.inc"
    ;

std::string joinLabel(const std::string& label, const std::string& attr) {
  if (label.empty()) return attr;
  if (attr.empty()) return label;
  return label + "." + attr;
}

// One repl command: describe an attribute, or (after describe failed outside tryEval) its
// derivation alone, one metadata field, or the error message of an attribute tryEval caught.
struct Line {
  enum class Type { Describe, Core, Field, Explain } type = Type::Describe;
  std::vector<std::string> path;
  std::string field;
};

struct Task {
  std::size_t root = 0;
  std::vector<Line> lines;  // one worker process runs them in order
};

// What one command printed: its begin marker, its result line, anything else (Nix's error).
struct LineOutcome {
  bool begun = false;
  std::optional<std::string> json;
  std::string errorText;
};

// A job put together from a Core command and one command per metadata field.
struct Assembly {
  sdk::EvalItem item;
  std::size_t waiting = 0;
  std::string fallback;  // the message of the describe command that failed
};

constexpr std::size_t kMaxErrorText = 16384;

std::string randomNonce() {
  std::random_device device;
  std::ostringstream out;
  out << std::hex << device() << device() << device();
  return out.str();
}

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

// The first line of a Nix error and the position it names: "error: ... (at pkgs/a.nix:3:5)".
std::string oneLine(const std::string& message) {
  std::string first = message.substr(0, message.find('\n'));
  if (auto at = message.find("\n       at "); at != std::string::npos) {
    const auto start = at + 11;
    std::string position = message.substr(start, message.find('\n', start) - start);
    while (!position.empty() && position.back() == ':') position.pop_back();
    first += " (at " + position + ")";
  }
  return first;
}

// A list of names as a Nix list of string literals.
std::string nixList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const auto& name : names) out += " " + nixString(name);
  return out + " ]";
}
}  // namespace

std::string NixBatchEvaluator::relativeToCheckout(std::string message, const std::string& checkoutDirectory) {
  std::vector<std::string> prefixes;
  if (!checkoutDirectory.empty()) {
    std::string plain = checkoutDirectory;
    while (plain.size() > 1 && plain.back() == '/') plain.pop_back();
    prefixes.push_back(plain + "/");
    std::error_code ec;
    auto canonical = std::filesystem::canonical(plain, ec);
    if (!ec && canonical.string() != plain) prefixes.push_back(canonical.string() + "/");
  }
  for (const auto& prefix : prefixes) {
    for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix, at)) {
      message.erase(at, prefix.size());
    }
  }
  return message;
}

std::string NixBatchEvaluator::helperLine() {
  std::string line;
  std::istringstream in(kExpression);
  for (std::string part; std::getline(in, part);) {
    const auto first = part.find_first_not_of(' ');
    if (first == std::string::npos || part[first] == '#') continue;
    line += part.substr(first) + " ";
  }
  return line;
}

std::vector<std::pair<std::string, std::string>> NixBatchEvaluator::workerEnvironment() const {
  // A minimal environment: nothing of the server's (no secrets) reaches evaluated code.
  const char* path = std::getenv("PATH");
  const std::filesystem::path cache = options_.cacheDirectory.empty()
                                          ? host_.stateDirectory() / "nix-cache"
                                          : std::filesystem::path(options_.cacheDirectory);
  std::error_code ec;
  std::filesystem::create_directories(cache, ec);
  std::vector<std::pair<std::string, std::string>> environment = {{"PATH", path != nullptr ? path : "/usr/bin:/bin"},
                                                                  {"HOME", host_.stateDirectory().string()},
                                                                  {"XDG_CACHE_HOME", cache.string()},
                                                                  {"NIX_PATH", ""},
                                                                  {"TERM", "dumb"},
                                                                  {"TMPDIR", "/tmp"}};
  if (const char* remote = std::getenv("NIX_REMOTE")) environment.emplace_back("NIX_REMOTE", remote);
  return environment;
}

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
    spec.environment = workerEnvironment();
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
  const std::string nonce = randomNonce();
  const std::string beginMarker = "trace: EKACI-" + nonce + "-B:";
  const std::string resultMarker = "trace: EKACI-" + nonce + "-R:";
  const std::string endMarker = "trace: EKACI-" + nonce + "-E";
  const std::vector<std::string>& fieldNames = EvalResultDecoder::fieldNames();
  auto clean = [&](const std::string& text) {
    if (text.find("syntax error, unexpected IN, expecting '{'") != std::string::npos &&
        text.find("let in builtins.trace \"EKACI-" + nonce) != std::string::npos) {
      // The repl joined the next command to this one (see absorb): Nix's own message was
      // "unexpected end of file" in a file the attribute imports, which the repl does not print.
      return std::string("error: syntax error, unexpected end of file (in a file this attribute imports)");
    }
    return relativeToCheckout(errorMessage(text), request.checkoutDirectory);
  };

  // Shared state, under `mutex`: the task queue (workers), the result queue (this thread
  // delivers), and jobs assembled from several commands (core + fields) across tasks.
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Task> tasks;
  std::deque<sdk::EvalItem> results;
  std::map<std::string, Assembly> assemblies;
  std::size_t inflight = 0;
  std::size_t explained = 0;
  std::optional<sdk::Error> fatal;
  std::vector<std::string> warnings;

  for (std::size_t r = 0; r < roots.size(); ++r) tasks.push_back(Task{r, {Line{Line::Type::Describe, {}, {}}}});

  // One worker process for a task: the helper is bound once, then one command per line.
  auto runTask = [&](const Task& task, std::vector<LineOutcome>& outcomes, std::string& preamble) {
    sdk::ProcessSpec spec;
    spec.argv = {options_.nix, "repl", "--extra-experimental-features", options_.experimentalFeatures + " nix-command",
                 "--option", "allow-import-from-derivation", options_.allowImportFromDerivation ? "true" : "false"};
    if (mode == "legacy" && options_.restrictEval) {
      spec.argv.insert(spec.argv.end(), {"--option", "restrict-eval", "true", "-I", request.checkoutDirectory});
    }
    if (!options_.allowedUris.empty()) {
      std::string uris;
      for (const auto& uri : options_.allowedUris) uris += (uris.empty() ? "" : " ") + uri;
      spec.argv.insert(spec.argv.end(), {"--option", "allowed-uris", uris});
    }
    for (const auto& entry : options_.nixPath) spec.argv.insert(spec.argv.end(), {"-I", entry});
    std::string input = "ekaci = (" + helperLine() + ") { file = " + nixString(target) + "; mode = " +
                        nixString(mode) + "; rootPath = " + nixList(roots[task.root].path) + "; }\n";
    for (std::size_t j = 0; j < task.lines.size(); ++j) {
      const Line& line = task.lines[j];
      const std::string path = nixList(line.path);
      std::string command;
      switch (line.type) {
        case Line::Type::Describe: command = "ekaci.describe " + path; break;
        case Line::Type::Core: command = "ekaci.core " + path; break;
        case Line::Type::Field: command = "ekaci.field " + nixString(line.field) + " " + path; break;
        case Line::Type::Explain: command = "ekaci.force " + path; break;
      }
      // "let in" first: appended to an unfinished input it is a syntax error (see absorb).
      input += "let in builtins.trace \"EKACI-" + nonce + "-B:" + std::to_string(j) + "\" ";
      input += line.type == Line::Type::Explain
                   ? "(" + command + ")\n"
                   : "(builtins.trace (\"EKACI-" + nonce + "-R:\" + builtins.toJSON (" + command + ")) null)\n";
    }
    // A last command, so that an unfinished input left by the last line is reported too.
    input += "let in builtins.trace \"EKACI-" + nonce + "-E\" null\n";
    spec.standardInput = std::move(input);
    spec.environment = workerEnvironment();
    spec.workingDirectory = request.checkoutDirectory;
    spec.timeout = options_.batchTimeout;
    spec.maxResidentBytes = request.maxMemoryMiBPerWorker * 1024 * 1024;
    spec.cancel = request.cancel;
    spec.captureOutput = false;
    outcomes.assign(task.lines.size(), LineOutcome{});
    std::optional<std::size_t> current;
    auto ran = host_.processes().run(spec, [&](sdk::OutputStream stream, std::string_view text) {
      if (stream != sdk::OutputStream::Stderr) return;
      if (text.substr(0, beginMarker.size()) == beginMarker) {
        std::size_t j = 0;
        const auto digits = text.substr(beginMarker.size());
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), j);
        if (ec == std::errc() && end == digits.data() + digits.size() && j < outcomes.size()) {
          current = j;
          outcomes[j].begun = true;
        }
        return;
      }
      if (text == endMarker) return;
      if (text.substr(0, resultMarker.size()) == resultMarker) {
        if (current && !outcomes[*current].json) outcomes[*current].json = std::string(text.substr(resultMarker.size()));
        return;
      }
      std::string& sinkText = current ? outcomes[*current].errorText : preamble;
      if (sinkText.size() < kMaxErrorText) sinkText.append(text).push_back('\n');
    });
    if (!ran) {
      preamble = ran.error().message();
      return sdk::ProcessEnd::Signaled;
    }
    return ran->succeeded() ? sdk::ProcessEnd::Exited : (ran->end == sdk::ProcessEnd::Exited ? sdk::ProcessEnd::Signaled : ran->end);
  };

  auto failureReason = [&](sdk::ProcessEnd end, const std::string& text) {
    switch (end) {
      case sdk::ProcessEnd::MemoryExceeded:
        return "evaluation exceeded the memory limit of " + std::to_string(request.maxMemoryMiBPerWorker) + " MiB";
      case sdk::ProcessEnd::TimedOut:
        return "evaluation timed out after " + std::to_string(options_.batchTimeout.count()) + " s";
      default:
        return text.find("error:") != std::string::npos ? clean(text) : "the evaluator process died: " + clean(text);
    }
  };

  const std::size_t workerCount = std::max<std::size_t>(1, request.workers);
  // Big sets are cut into two batches per worker: each batch pays for importing the package set.
  auto chunkSize = [&](std::size_t children) {
    return std::clamp<std::size_t>(children / (workerCount * 2), options_.batchSize,
                                   std::max<std::size_t>(options_.batchSize, 8000));
  };
  auto labelled = [&](std::size_t root, const std::vector<std::string>& path) {
    return joinLabel(roots[root].label, EvalResultDecoder::attrPath(path));
  };
  auto errorItem = [&](std::size_t root, const std::vector<std::string>& path, std::string message) {
    sdk::EvalItem item;
    item.attrPath = labelled(root, path);
    item.error = std::move(message);
    results.push_back(std::move(item));
  };
  // A job assembled from its core and field commands is delivered once all of them answered.
  auto settle = [&](const std::string& key) {
    auto it = assemblies.find(key);
    if (it == assemblies.end() || it->second.waiting > 0) return;
    if (it->second.item.error) {
      it->second.item.meta = sdk::PackageMeta{};  // the derivation failed: its metadata does not matter
      it->second.item.drvPath.clear();
      it->second.item.outputs.clear();
    }
    if (it->second.item.error || !it->second.item.drvPath.empty()) results.push_back(std::move(it->second.item));
    assemblies.erase(it);
  };

  // What one task's outcomes lead to: results, new tasks. Called under the lock.
  auto absorb = [&](const Task& task, const std::vector<LineOutcome>& outcomes, sdk::ProcessEnd end,
                    const std::string& preamble) {
    std::vector<Line> detail, explain, again;
    std::size_t lastBegun = outcomes.size();
    for (std::size_t j = 0; j < outcomes.size(); ++j) {
      if (outcomes[j].begun) lastBegun = j;
    }
    const bool died = end != sdk::ProcessEnd::Exited;
    for (std::size_t j = 0; j < task.lines.size(); ++j) {
      const Line& line = task.lines[j];
      const LineOutcome& outcome = outcomes[j];
      const bool crashedHere = died && j == lastBegun && !outcome.json;
      if (!outcome.begun && lastBegun != outcomes.size() && j < lastBegun) {
        // Swallowed: the command before it failed with a syntax error at the end of an imported
        // file, which the repl takes for unfinished input and joins with this line.
        again.push_back(line);
        continue;
      }
      if (!outcome.begun || (crashedHere && j > 0)) {
        // Not reached, or the process died here after earlier commands: run the rest anew.
        if (end == sdk::ProcessEnd::Cancelled) return;
        if (!outcome.begun && j == 0 && !fatal) {
          // Not even the first command ran: the program is missing or broken; retrying cannot help.
          fatal = sdk::Error(sdk::ErrorCode::InvalidArgument,
                             "the evaluator (" + options_.nix + " repl) ran no command: " +
                                 (preamble.empty() ? "no output" : relativeToCheckout(preamble, request.checkoutDirectory)));
          return;
        }
        tasks.push_back(Task{task.root, {task.lines.begin() + static_cast<std::ptrdiff_t>(j), task.lines.end()}});
        break;
      }
      const std::string failure = crashedHere ? failureReason(end, outcome.errorText) : clean(outcome.errorText);
      std::optional<EvalResult> decoded;
      if (outcome.json) {
        auto d = EvalResultDecoder::decodeResult(*outcome.json);
        if (!d) {
          errorItem(task.root, line.path, "evaluator output was malformed: " + d.error().message());
          continue;
        }
        decoded = std::move(d).value();
      }
      const std::string key = std::to_string(task.root) + "\n" + labelled(task.root, line.path);
      switch (line.type) {
        case Line::Type::Describe:
          if (!decoded) {
            if (line.path.empty()) {
              if (!fatal) fatal = sdk::Error(sdk::ErrorCode::InvalidArgument, "the package set does not evaluate: " + failure);
              return;
            }
            // Failed outside tryEval: the derivation or only its metadata? Ask field by field.
            detail.push_back(Line{Line::Type::Core, line.path, {}});
            for (const auto& field : fieldNames) detail.push_back(Line{Line::Type::Field, line.path, field});
            assemblies[key].waiting = 1 + fieldNames.size();
            assemblies[key].fallback = failure;
            break;
          }
          switch (decoded->kind) {
            case EvalResult::Kind::Derivation:
              decoded->item.attrPath = labelled(task.root, line.path);
              for (const auto& field : decoded->metaErrors) {
                decoded->item.meta.warnings.push_back("meta." + field + ": evaluation failed (the error was caught)");
              }
              results.push_back(std::move(decoded->item));
              break;
            case EvalResult::Kind::Error:
              if (explained >= options_.maxErrorMessages) {
                errorItem(task.root, line.path,
                          "evaluation failed (message not collected: more than " +
                              std::to_string(options_.maxErrorMessages) + " failing attributes)");
              } else {
                ++explained;
                explain.push_back(Line{Line::Type::Explain, line.path, {}});
              }
              break;
            case EvalResult::Kind::Recurse: {
              const std::size_t chunk = chunkSize(decoded->names.size());
              for (std::size_t i = 0; i < decoded->names.size(); i += chunk) {
                Task t{task.root, {}};
                for (std::size_t k = i; k < std::min(decoded->names.size(), i + chunk); ++k) {
                  auto child = line.path;
                  child.push_back(decoded->names[k]);
                  t.lines.push_back(Line{Line::Type::Describe, std::move(child), {}});
                }
                tasks.push_back(std::move(t));
              }
              break;
            }
            case EvalResult::Kind::Skip:
            case EvalResult::Kind::Field:
              break;
          }
          break;
        case Line::Type::Core: {
          auto& assembly = assemblies[key];
          --assembly.waiting;
          if (decoded && decoded->kind == EvalResult::Kind::Derivation) {
            auto meta = std::move(assembly.item.meta);
            assembly.item = std::move(decoded->item);
            assembly.item.meta = std::move(meta);
            assembly.item.attrPath = labelled(task.root, line.path);
          } else if (!decoded || decoded->kind == EvalResult::Kind::Error) {
            assembly.item.attrPath = labelled(task.root, line.path);
            assembly.item.error = decoded ? assembly.fallback : failure;
          }
          settle(key);
          break;
        }
        case Line::Type::Field: {
          auto& assembly = assemblies[key];
          --assembly.waiting;
          if (!decoded || decoded->kind != EvalResult::Kind::Field) {
            assembly.item.meta.warnings.push_back("meta." + line.field + ": " + oneLine(failure));
          } else if (decoded->fieldFailed) {
            assembly.item.meta.warnings.push_back("meta." + line.field + ": evaluation failed (the error was caught)");
          } else {
            EvalResultDecoder::copyField(line.field, decoded->item.meta, assembly.item.meta);
          }
          settle(key);
          break;
        }
        case Line::Type::Explain:
          errorItem(task.root, line.path,
                    outcome.errorText.find("error:") != std::string::npos || crashedHere
                        ? failure
                        : std::string("evaluation failed, but succeeded when evaluated alone (non-deterministic)"));
          break;
      }
      if (crashedHere) {
        if (j + 1 < task.lines.size()) {
          tasks.push_back(Task{task.root, {task.lines.begin() + static_cast<std::ptrdiff_t>(j + 1), task.lines.end()}});
        }
        break;
      }
    }
    if (!again.empty()) tasks.push_back(Task{task.root, std::move(again)});
    if (!detail.empty()) tasks.push_back(Task{task.root, std::move(detail)});
    if (!explain.empty()) tasks.push_back(Task{task.root, std::move(explain)});
  };

  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait(lock, [&] { return !tasks.empty() || inflight == 0 || fatal || cancelled(); });
      if (fatal || cancelled() || (tasks.empty() && inflight == 0)) {
        wake.notify_all();
        return;
      }
      if (tasks.empty()) continue;
      Task task = std::move(tasks.front());
      tasks.pop_front();
      ++inflight;
      lock.unlock();
      std::vector<LineOutcome> outcomes;
      std::string preamble;
      const sdk::ProcessEnd end = runTask(task, outcomes, preamble);
      lock.lock();
      --inflight;
      absorb(task, outcomes, end, preamble);
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
        if (!item.meta.warnings.empty()) ++summary.metadataWarnings;
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
