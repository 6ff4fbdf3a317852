#include "NixBatchEvaluator.h"

#include "NixReadBuffer.h"

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

// One repl command: an attribute's derivation (or set to recurse into), a derivation's
// metadata, one metadata field (after the metadata failed outside tryEval), or the error
// message of an attribute tryEval caught.
struct Line {
  enum class Type { Core, Meta, Field, Explain } type = Type::Core;
  std::size_t root = 0;
  std::vector<std::string> path;
  std::string field;
  std::size_t crashes = 0;  // worker processes that died while running it
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
  if (options_.readBuffer) {
    if (auto library = NixReadBuffer::library()) environment.emplace_back("LD_PRELOAD", library->string());
  }
  return environment;
}

std::vector<std::string> NixBatchEvaluator::restrictionArguments(const sdk::EvalRequest& request) const {
  std::vector<std::string> argv = {
      "--option", "extra-experimental-features", options_.experimentalFeatures + " nix-command",
      "--option", "allow-import-from-derivation", options_.allowImportFromDerivation ? "true" : "false"};
  if (options_.restrictEval) {
    // Files, flakes (getFlake copies the checkout into the store, which stays readable) and
    // nix-eval-jobs alike: no file outside the checkout and nix_path, no getEnv, no fetch
    // outside allowed_uris.
    argv.insert(argv.end(), {"--option", "restrict-eval", "true", "-I", request.checkoutDirectory});
  }
  if (!options_.allowedUris.empty()) {
    std::string uris;
    for (const auto& uri : options_.allowedUris) uris += (uris.empty() ? "" : " ") + uri;
    argv.insert(argv.end(), {"--option", "allowed-uris", uris});
  }
  for (const auto& entry : options_.nixPath) argv.insert(argv.end(), {"-I", entry});
  return argv;
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
    const std::size_t workers = std::max<std::size_t>(1, request.workers);
    spec.argv = {program, "--meta", "--workers", std::to_string(workers), "--max-memory-size",
                 std::to_string(request.maxMemoryMiBPerWorker)};
    const auto restrictions = restrictionArguments(request);
    spec.argv.insert(spec.argv.end(), restrictions.begin(), restrictions.end());
    spec.argv.insert(spec.argv.end(), {"--expr", expression});
    spec.environment = workerEnvironment();
    spec.workingDirectory = request.checkoutDirectory;
    spec.cancel = request.cancel;
    spec.captureOutput = false;
    // eka-ci's own limits as for the repl workers: silence, and memory over the program and
    // its worker processes together (nix-eval-jobs restarts a worker past --max-memory-size).
    spec.noOutputTimeout = options_.batchTimeout;
    spec.maxResidentBytes = (workers + 1) * request.maxMemoryMiBPerWorker * 1024 * 1024;
    std::size_t printed = 0;
    std::optional<sdk::Error> malformed;
    std::string stderrTail;
    auto ran = host_.processes().run(spec, [&](sdk::OutputStream stream, std::string_view line) {
      if (stream == sdk::OutputStream::Stderr) {
        stderrTail.append(line).push_back('\n');
        if (stderrTail.size() > 16384) stderrTail.erase(0, stderrTail.size() - 16384);
        return;
      }
      if (line.empty() || malformed) return;
      ++printed;
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
    if (ran->end == sdk::ProcessEnd::NoOutputTimedOut || ran->end == sdk::ProcessEnd::MemoryExceeded) {
      return sdk::Error(ran->end == sdk::ProcessEnd::MemoryExceeded ? sdk::ErrorCode::ProcessKilled
                                                                     : sdk::ErrorCode::ProcessNoOutputTimeout,
                        "nix-eval-jobs was stopped: " +
                            std::string(ran->end == sdk::ProcessEnd::MemoryExceeded
                                            ? "over the memory limit (workers + 1) x max memory per worker"
                                            : "silent for longer than batch_timeout_seconds"));
    }
    if (!ran->succeeded()) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument,
                        "the package set does not evaluate (nix-eval-jobs): " + errorMessage(stderrTail));
    }
    if (printed == 0) {
      // A package set always has its attributes listed, an empty one included; silence from a
      // program that exited cleanly is a broken back end, never a clean review.
      return sdk::Error(sdk::ErrorCode::InvalidArgument,
                        "nix-eval-jobs exited without printing any attribute: " + errorMessage(stderrTail));
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

  // Shared state, under `mutex`: the queue of commands (workers), commands that were running
  // when their worker died (each runs alone in a fresh process), the result queue (this
  // thread delivers), and jobs assembled from several commands (core + fields).
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Line> queue;
  std::deque<Line> suspects;
  std::deque<sdk::EvalItem> results;
  std::map<std::string, Assembly> assemblies;
  std::size_t busy = 0;  // commands sent to a worker and not answered yet
  std::size_t explained = 0;
  std::optional<sdk::Error> fatal;
  for (std::size_t r = 0; r < roots.size(); ++r) queue.push_back(Line{Line::Type::Core, r, {}, {}, 0});
  auto allDone = [&] { return queue.empty() && suspects.empty() && busy == 0; };

  auto failureReason = [&](sdk::ProcessEnd end, const std::string& text) {
    switch (end) {
      case sdk::ProcessEnd::MemoryExceeded:
        return "evaluation exceeded the memory limit of " + std::to_string(request.maxMemoryMiBPerWorker) + " MiB";
      case sdk::ProcessEnd::TimedOut:
      case sdk::ProcessEnd::NoOutputTimedOut:
        return "evaluation timed out after " + std::to_string(options_.batchTimeout.count()) + " s";
      default:
        return text.find("error:") != std::string::npos ? clean(text) : "the evaluator process died: " + clean(text);
    }
  };
  auto labelled = [&](std::size_t root, const std::vector<std::string>& path) {
    return joinLabel(roots[root].label, EvalResultDecoder::attrPath(path));
  };
  auto errorItem = [&](const Line& line, std::string message) {
    sdk::EvalItem item;
    item.attrPath = labelled(line.root, line.path);
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

  // What one answered command leads to: results, more commands. `crashed`: its worker died
  // running it, and it is the culprit. Called under the lock.
  auto absorb = [&](const Line& line, const LineOutcome& outcome, std::optional<sdk::ProcessEnd> crashed) {
    const std::string failure = crashed ? failureReason(*crashed, outcome.errorText) : clean(outcome.errorText);
    std::optional<EvalResult> decoded;
    if (outcome.json) {
      auto d = EvalResultDecoder::decodeResult(*outcome.json);
      if (!d) {
        errorItem(line, "evaluator output was malformed: " + d.error().message());
        return;
      }
      decoded = std::move(d).value();
    }
    const std::string key = std::to_string(line.root) + "\n" + labelled(line.root, line.path);
    switch (line.type) {
      case Line::Type::Core:
        if (!decoded) {
          // Failed outside tryEval: its message is already here.
          if (line.path.empty()) {
            if (!fatal) fatal = sdk::Error(sdk::ErrorCode::InvalidArgument, "the package set does not evaluate: " + failure);
            return;
          }
          errorItem(line, failure);
          return;
        }
        switch (decoded->kind) {
          case EvalResult::Kind::Derivation: {
            auto& assembly = assemblies[key];
            assembly.item = std::move(decoded->item);
            assembly.item.attrPath = labelled(line.root, line.path);
            assembly.waiting = 1;
            queue.push_front(Line{Line::Type::Meta, line.root, line.path, {}, 0});
            break;
          }
          case EvalResult::Kind::Error:
            if (explained >= options_.maxErrorMessages) {
              errorItem(line, "evaluation failed (message not collected: more than " +
                                  std::to_string(options_.maxErrorMessages) + " failing attributes)");
            } else {
              ++explained;
              queue.push_back(Line{Line::Type::Explain, line.root, line.path, {}, 0});
            }
            break;
          case EvalResult::Kind::Recurse:
            for (const auto& name : decoded->names) {
              auto child = line.path;
              child.push_back(name);
              queue.push_back(Line{Line::Type::Core, line.root, std::move(child), {}, 0});
            }
            break;
          case EvalResult::Kind::Skip:
          case EvalResult::Kind::Meta:
          case EvalResult::Kind::Field:
            break;
        }
        return;
      case Line::Type::Meta: {
        auto& assembly = assemblies[key];
        if (!decoded || decoded->kind != EvalResult::Kind::Meta) {
          // A field failed outside tryEval: ask each one alone.
          assembly.waiting += fieldNames.size() - 1;
          for (const auto& field : fieldNames) queue.push_front(Line{Line::Type::Field, line.root, line.path, field, 0});
          return;
        }
        --assembly.waiting;
        auto warnings = std::move(assembly.item.meta.warnings);
        assembly.item.meta = std::move(decoded->item.meta);
        assembly.item.meta.warnings = std::move(warnings);
        for (const auto& field : decoded->metaErrors) {
          assembly.item.meta.warnings.push_back("meta." + field + ": evaluation failed (the error was caught)");
        }
        settle(key);
        return;
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
        return;
      }
      case Line::Type::Explain:
        errorItem(line, outcome.errorText.find("error:") != std::string::npos || crashed
                            ? failure
                            : std::string("evaluation failed, but succeeded when evaluated alone (non-deterministic)"));
        return;
    }
  };

  auto command = [&](const Line& line, std::size_t index) {
    const std::string helper = "ekaci" + std::to_string(line.root);
    const std::string path = nixList(line.path);
    std::string call;
    switch (line.type) {
      case Line::Type::Core: call = helper + ".core " + path; break;
      case Line::Type::Meta: call = helper + ".meta " + path; break;
      case Line::Type::Field: call = helper + ".field " + nixString(line.field) + " " + path; break;
      case Line::Type::Explain: call = helper + ".force " + path; break;
    }
    // "let in" first: appended to an unfinished input it is a syntax error (see the worker).
    std::string text = "let in builtins.trace \"EKACI-" + nonce + "-B:" + std::to_string(index) + "\" ";
    text += line.type == Line::Type::Explain
                ? "(" + call + ")\n"
                : "(builtins.trace (\"EKACI-" + nonce + "-R:\" + builtins.toJSON (" + call + ")) null)\n";
    return text;
  };
  // Twice: when the command before is unfinished input, the first is swallowed with it.
  const std::string flush = "let in builtins.trace \"EKACI-" + nonce + "-E\" null\n";
  const std::string flushTwice = flush + flush;

  sdk::ProcessSpec base;
  base.argv = {options_.nix, "repl"};
  const auto restrictions = restrictionArguments(request);
  base.argv.insert(base.argv.end(), restrictions.begin(), restrictions.end());
  base.environment = workerEnvironment();
  base.workingDirectory = request.checkoutDirectory;
  base.noOutputTimeout = options_.batchTimeout;
  base.maxResidentBytes = request.maxMemoryMiBPerWorker * 1024 * 1024;
  base.cancel = request.cancel;
  base.captureOutput = false;
  std::string bindings;
  for (std::size_t r = 0; r < roots.size(); ++r) {
    bindings += "ekaci" + std::to_string(r) + " = (" + helperLine() + ") { file = " + nixString(target) +
                "; mode = " + nixString(mode) + "; rootPath = " + nixList(roots[r].path) + "; }\n";
  }

  // One worker: a long-lived `nix repl` answering commands from the shared queue, a few at a
  // time; it is started again after it dies, for as long as there is work.
  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait(lock, [&] { return !queue.empty() || !suspects.empty() || allDone() || fatal || cancelled(); });
      if (fatal || cancelled() || allDone()) {
        wake.notify_all();
        return;
      }
      if (queue.empty() && suspects.empty()) continue;
      // A command that was running when a worker died runs alone, first in a fresh process.
      std::optional<Line> alone;
      if (!suspects.empty()) {
        alone = std::move(suspects.front());
        suspects.pop_front();
        ++busy;
      }
      lock.unlock();

      std::vector<Line> sent;
      std::vector<LineOutcome> outcomes;
      std::vector<bool> settled;
      std::size_t nextUnsettled = 0, answered = 0;
      std::optional<std::size_t> current;
      bool started = false, flushed = false;
      std::string preamble;
      auto finish = [&](std::size_t k, std::optional<sdk::ProcessEnd> crashed) {  // under the lock
        settled[k] = true;
        --busy;
        ++answered;
        absorb(sent[k], outcomes[k], crashed);
        wake.notify_all();
      };
      auto send = [&](Line line) {
        sent.push_back(std::move(line));
        outcomes.emplace_back();
        settled.push_back(false);
        return command(sent.back(), sent.size() - 1);
      };
      sdk::ProcessSpec spec = base;
      spec.moreInput = [&]() -> std::optional<std::string> {
        std::lock_guard guard(mutex);
        if (fatal || cancelled()) return std::nullopt;
        std::string text;
        if (!started) {
          started = true;
          text = bindings;
          if (alone) text += send(std::move(*alone));
        }
        const std::size_t outstanding = sent.size() - answered;
        if (!alone) {
          for (std::size_t n = outstanding; n < options_.batchSize && !queue.empty(); ++n) {
            text += send(std::move(queue.front()));
            queue.pop_front();
            ++busy;
          }
        }
        if (!text.empty()) {
          flushed = false;
          return text;
        }
        if (sent.size() > answered) {
          if (flushed) return std::string();
          flushed = true;
          return flushTwice;  // the last command may have failed: its error ends at the flush marker
        }
        if (alone || allDone()) return std::nullopt;
        return std::string();
      };
      auto closeCurrent = [&] {  // under the lock: the current command printed its error and ended
        if (current && !settled[*current]) finish(*current, std::nullopt);
      };
      auto ran = host_.processes().run(spec, [&](sdk::OutputStream stream, std::string_view text) {
        if (stream != sdk::OutputStream::Stderr) return;
        std::lock_guard guard(mutex);
        if (text.substr(0, beginMarker.size()) == beginMarker) {
          std::size_t k = 0;
          const auto digits = text.substr(beginMarker.size());
          auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), k);
          if (ec != std::errc() || end != digits.data() + digits.size() || k >= sent.size()) return;
          closeCurrent();
          // Commands before this one that never began were swallowed by an unfinished input
          // before them: they run again.
          for (; nextUnsettled < k; ++nextUnsettled) {
            if (!settled[nextUnsettled] && !outcomes[nextUnsettled].begun) {
              settled[nextUnsettled] = true;
              ++answered;
              --busy;
              queue.push_front(sent[nextUnsettled]);
              wake.notify_all();
            }
          }
          current = k;
          outcomes[k].begun = true;
          return;
        }
        if (text == endMarker) {
          closeCurrent();
          current.reset();
          return;
        }
        if (text.substr(0, resultMarker.size()) == resultMarker) {
          if (current && !settled[*current]) {
            outcomes[*current].json = std::string(text.substr(resultMarker.size()));
            finish(*current, std::nullopt);
          }
          return;
        }
        std::string& sinkText = current && !settled[*current] ? outcomes[*current].errorText : preamble;
        if (sinkText.size() < kMaxErrorText) sinkText.append(text).push_back('\n');
      });

      lock.lock();
      if (!ran) {
        if (!fatal) fatal = sdk::Error(ran.error().code(), "cannot start the evaluator: " + ran.error().message());
      }
      const sdk::ProcessEnd end = !ran ? sdk::ProcessEnd::Signaled
                                  : ran->succeeded() ? sdk::ProcessEnd::Exited
                                  : ran->end == sdk::ProcessEnd::Exited ? sdk::ProcessEnd::Signaled
                                                                        : ran->end;
      if (end == sdk::ProcessEnd::Cancelled || cancelled()) {
        wake.notify_all();
        return;
      }
      const bool anyBegun = std::any_of(outcomes.begin(), outcomes.end(), [](const LineOutcome& o) { return o.begun; });
      if (!anyBegun && !sent.empty() && !fatal) {
        // Not even the first command ran: the program is missing or broken; retrying cannot help.
        fatal = sdk::Error(sdk::ErrorCode::InvalidArgument,
                           "the evaluator (" + options_.nix + " repl) ran no command: " +
                               (preamble.empty() ? "no output" : relativeToCheckout(preamble, request.checkoutDirectory)));
      }
      for (std::size_t k = 0; k < sent.size(); ++k) {
        if (settled[k]) continue;
        if (current && k == *current && end != sdk::ProcessEnd::Exited) {
          // Died while running it: the culprit when it ran alone (or first), else a suspect.
          if (alone || sent[k].crashes > 0 || answered == 0) {
            finish(k, end);
          } else {
            settled[k] = true;
            --busy;
            ++sent[k].crashes;
            suspects.push_back(sent[k]);
          }
        } else if (current && k == *current) {
          finish(k, std::nullopt);
        } else {
          settled[k] = true;
          --busy;
          queue.push_front(sent[k]);
        }
      }
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
                    [&] { return !results.empty() || allDone() || fatal; });
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
      if (fatal || cancelled() || allDone()) break;
    }
    wake.notify_all();
  }
  for (auto& t : threads) t.join();
  if (cancelled()) return sdk::Error(sdk::ErrorCode::Cancelled, "evaluation cancelled");
  if (fatal) return *fatal;
  return summary;
}

}  // namespace ekaci::plugins::evaluators
