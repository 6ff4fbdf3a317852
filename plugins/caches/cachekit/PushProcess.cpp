#include "cachekit/PushProcess.h"

#include <cstdlib>

namespace ekaci::plugins::caches {
namespace {

constexpr const char* kInherited[] = {"PATH",
                                      "HOME",
                                      "TMPDIR",
                                      "TZ",
                                      "LANG",
                                      "LC_ALL",
                                      "LOCALE_ARCHIVE",
                                      "NIX_REMOTE",
                                      "NIX_CONF_DIR",
                                      "NIX_USER_CONF_FILES",
                                      "NIX_SSL_CERT_FILE",
                                      "SSL_CERT_FILE",
                                      "NIX_STATE_DIR",
                                      "NIX_STORE_DIR"};

std::string lastLines(const std::string& text, std::size_t count) {
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
  std::size_t start = end;
  for (std::size_t lines = 0; start > 0 && lines < count;) {
    --start;
    if (text[start] == '\n') ++lines;
  }
  if (start < end && text[start] == '\n') ++start;
  std::string out = text.substr(start, end - start);
  constexpr std::size_t kMax = 2000;
  if (out.size() > kMax) out = out.substr(out.size() - kMax);
  return out;
}

}  // namespace

PushProcess::Environment PushProcess::environment(const sdk::Credentials& credentials, const Environment& extra) {
  Environment out;
  auto put = [&out](const std::string& name, std::string value) {
    for (auto& entry : out) {
      if (entry.first == name) {
        entry.second = std::move(value);
        return;
      }
    }
    out.emplace_back(name, std::move(value));
  };
  for (const char* name : kInherited) {
    if (const char* value = std::getenv(name); value != nullptr) put(name, value);
  }
  for (const auto& name : credentials.names()) put(name, std::string(credentials.find(name)->reveal()));
  for (const auto& [name, value] : extra) put(name, value);
  return out;
}

std::string PushProcess::redact(std::string text, const sdk::Credentials& credentials) {
  for (const auto& name : credentials.names()) {
    const std::string value(credentials.find(name)->reveal());
    if (value.size() < 4) continue;  // too short to search for without mangling the text
    for (std::size_t at = text.find(value); at != std::string::npos; at = text.find(value, at + 3)) {
      text.replace(at, value.size(), "***");
    }
  }
  return text;
}

sdk::Result<sdk::ProcessResult> PushProcess::run(sdk::ProcessRunner& processes, const std::vector<std::string>& argv,
                                                 Environment environment, std::chrono::seconds timeout,
                                                 const sdk::Credentials& credentials, const std::string& what) {
  sdk::ProcessSpec spec;
  spec.argv = argv;
  spec.environment = std::move(environment);
  spec.inheritEnvironment = false;
  spec.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
  auto ran = processes.run(spec);
  if (!ran) {
    return sdk::Error(sdk::ErrorCode::CacheUnavailable,
                      what + ": cannot start " + argv.front() + ": " + redact(ran.error().message(), credentials));
  }
  const auto& result = *ran;
  if (result.end == sdk::ProcessEnd::TimedOut || result.end == sdk::ProcessEnd::NoOutputTimedOut) {
    return sdk::Error(sdk::ErrorCode::CacheTimeout, what + ": stopped after " + std::to_string(timeout.count()) +
                                                        " s (security.max_hook_timeout_seconds)");
  }
  if (!result.succeeded()) {
    const std::string how = result.end == sdk::ProcessEnd::Exited ? "exit status " + std::to_string(result.exitCode)
                                                                  : "signal " + std::to_string(result.signal);
    const std::string said = lastLines(result.stderrText.empty() ? result.stdoutText : result.stderrText, 5);
    return sdk::Error(sdk::ErrorCode::CachePushFailed,
                      what + " failed (" + how + ")" + (said.empty() ? "" : ": " + redact(said, credentials)));
  }
  return std::move(ran).value();
}

}  // namespace ekaci::plugins::caches
