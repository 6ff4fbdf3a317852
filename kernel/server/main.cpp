// eka-ci-server: the long-running CI server.
#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "ekaci/sdk/ErrorCode.h"
#include "ekaci/sdk/Version.h"
#include "kernel/config/ConfigDocumentation.h"
#include "kernel/config/ErrorPolicy.h"
#include "kernel/config/ExitStatus.h"
#include "kernel/config/ServerSchema.h"
#include "kernel/plugin_host/PluginDocumentation.h"
#include "kernel/server/Bootstrap.h"
#include "kernel/server/Server.h"
#include "kernel/server/StateDirectory.h"
#include "kernel/services/LogFilter.h"

namespace {

constexpr const char* kUsage = R"(Usage: eka-ci-server [options]

Runs the eka-ci server: HTTP API, webhooks and /metrics on [web] address:port, and the
Unix socket the ekaci CLI talks to.

Options:
  -c, --config FILE          Configuration file (default: $EKA_CI_CONFIG_FILE, else
                             $XDG_CONFIG_HOME/ekaci/ekaci.toml; missing default = all defaults)
      --check-config         Load plugins, validate the configuration, report every problem, exit
      --print-default-config Print ekaci.toml with every documented default, exit
      --print-config-reference  Print the configuration reference with every loaded plugin's
                             settings (Markdown), exit
      --list-error-codes     Print the stable error codes (Markdown), exit
      --listen-info FILE     Once ready, write "http=ADDRESS:PORT" and "socket=PATH" to FILE
      --require-approval     Hold pull requests from forks until their author is approved
                             (require_approval = true; manage with `ekaci approve USER`)
      --version              Print the version, exit
  -h, --help                 Show this help

Environment:
  EKACI_LOG (or RUST_LOG)    Log filter, e.g. "info" or "storage=debug,plugin_host=debug,warn"

Exit status: 0 clean shutdown, 2 usage or configuration error, 3 cannot start (docs/ERRORS.md).
)";

std::filesystem::path selfExecutable(const char* argv0) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::absolute(argv0) : self;
}

}  // namespace

int main(int argc, char** argv) {
  ekaci::server::StateDirectory::privateFiles();
  std::optional<std::filesystem::path> configPath;
  std::optional<std::filesystem::path> listenInfo;
  bool checkOnly = false;
  bool requireApproval = false;
  bool printReference = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) {
        std::cerr << "eka-ci-server: " << arg << " needs a value\n";
        return std::nullopt;
      }
      return std::string(argv[++i]);
    };
    if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--version") {
      std::cout << "eka-ci-server " << EKACI_SDK_VERSION << "\n";
      return 0;
    }
    if (arg == "--print-default-config") {
      std::cout << ekaci::config::ConfigDocumentation::defaultToml(ekaci::config::ServerSchema::settings());
      return 0;
    }
    if (arg == "--print-config-reference") {
      printReference = true;
      continue;
    }
    if (arg == "--list-error-codes") {
      std::cout << ekaci::config::ConfigDocumentation::errorCodeTable();
      return 0;
    }
    if (arg == "--check-config") {
      checkOnly = true;
    } else if (arg == "--require-approval") {
      requireApproval = true;
    } else if (arg == "-c" || arg == "--config" || arg == "--config-file") {
      auto value = next();
      if (!value) return exitCode(ekaci::config::ExitStatus::Usage);
      configPath = *value;
    } else if (arg == "--listen-info") {
      auto value = next();
      if (!value) return exitCode(ekaci::config::ExitStatus::Usage);
      listenInfo = *value;
    } else {
      std::cerr << "eka-ci-server: unknown option '" << arg << "'\n\n" << kUsage;
      return exitCode(ekaci::config::ExitStatus::Usage);
    }
  }

  auto environment = ekaci::config::Environment::fromProcess();
  const std::string logSpec =
      environment.nonEmpty("EKACI_LOG").value_or(environment.nonEmpty("RUST_LOG").value_or("info"));
  auto filter = ekaci::services::LogFilter::parse(logSpec);
  if (!filter) {
    std::cerr << "eka-ci-server: EKACI_LOG: " << filter.error().message() << "\n";
    return exitCode(ekaci::config::ExitStatus::Usage);
  }
  ekaci::services::Logging logging(*filter);
  if (printReference) {
    // The server's settings, then those of every plugin it loads (bundled and configured).
    auto logger = logging.logger("plugin_host");
    auto plugins = ekaci::server::Bootstrap::loadPlugins(configPath, selfExecutable(argv[0]), environment, *logger);
    if (!plugins) {
      std::cerr << "eka-ci-server: " << plugins.error().describe() << "\n";
      return exitCode(ekaci::config::ExitStatus::Usage);
    }
    std::cout << ekaci::config::ConfigDocumentation::markdownReference(ekaci::config::ServerSchema::settings()) << "\n"
              << ekaci::plugin_host::PluginDocumentation::markdown((*plugins)->registry());
    return 0;
  }

  // Signals are taken synchronously by this thread; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  (void)::signal(SIGPIPE, SIG_IGN);

  ekaci::server::ServerOptions options{configPath, selfExecutable(argv[0]), environment, requireApproval};
  auto server = ekaci::server::Server::prepare(options, logging);
  if (!server) {
    // Configuration diagnostics already carry file:line: code for every entry.
    const bool diagnostics = server.error().message().find(" error E") != std::string::npos;
    std::cerr << "eka-ci-server: configuration rejected:\n"
              << (diagnostics ? server.error().message() : server.error().describe()) << "\n";
    return exitCode(ekaci::config::ExitStatus::Usage);
  }
  if (checkOnly) {
    for (const auto& warning : (*server)->config().warnings) std::cout << "warning: " << warning << "\n";
    std::cout << "configuration OK: "
              << ((*server)->config().sourceFile.empty() ? std::string("(defaults)")
                                                         : (*server)->config().sourceFile.string())
              << " (" << (*server)->plugins().loaded().size() << " plugins loaded)\n";
    return 0;
  }
  if (auto running = (*server)->run(); !running) {
    std::cerr << "eka-ci-server: cannot start: " << running.error().describe() << "\n";
    (*server)->stop();
    return exitCode(ekaci::config::ErrorPolicy::exitFor(running.error().code()));
  }
  if (listenInfo) {
    std::filesystem::path temporary = *listenInfo;
    temporary += ".tmp";
    {
      std::ofstream out(temporary);
      out << "http=" << (*server)->config().web.address << ":" << (*server)->httpPort() << "\n"
          << "socket=" << (*server)->config().socketPath.string() << "\n";
    }
    std::filesystem::rename(temporary, *listenInfo);  // atomic: readers never see half a file
  }

  int received = 0;
  while (sigwait(&signals, &received) != 0) {
  }
  std::cerr << "eka-ci-server: received " << strsignal(received) << ", shutting down\n";
  (*server)->stop();
  return 0;
}
