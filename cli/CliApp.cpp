#include "cli/CliApp.h"

#include "kernel/config/ExitStatus.h"
#include "kernel/config/Suggestion.h"
#include "kernel/plugin_host/PluginDocumentation.h"
#include "kernel/server/Bootstrap.h"
#include "kernel/services/LogFilter.h"
#include "kernel/services/Logging.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/ApprovalCommand.h"
#include "cli/BuildsCommand.h"
#include "cli/MergeCommand.h"
#include "cli/ReviewCommand.h"
#include "cli/SocketClient.h"
#include "ekaci/sdk/Version.h"
#include "kernel/config/ConfigLoader.h"

namespace ekaci::cli {
namespace {

constexpr const char* kUsage = R"(Usage: ekaci [global options] <command> [command options]

Talks to a running eka-ci-server over its Unix socket.

Commands:
  review     Review a change of a Nix repository locally (no server needed)
  build      Build derivations on the server: ekaci build DRV... [--wait] [--rebuild]
  builds     Builds running or waiting on the server
  jobset     State of a jobset's builds: ekaci jobset ID [--wait]
  logs       Build log of a derivation: ekaci logs DRV
  derivation Build state and history of a derivation: ekaci derivation DRV
  approve    Approve a pull-request author (require_approval): ekaci approve USER
  unapprove  Take an approval back: ekaci unapprove USER
  approved   List the approved authors
  merge      Merge a pull request now: ekaci merge OWNER/REPO#N [--method M]
  auto-merge Auto-merge on or off: ekaci auto-merge enable|disable OWNER/REPO#N
  merge-eligibility  Whether a pull request would be merged now, and why not
  maintainers, maintainer  Package maintainers: ekaci maintainer add|remove ATTR USER
  token      A bearer token for the HTTP API: ekaci token USER [--admin]
  status     Version, uptime, plugins, database and queue depths of the server
  plugins    Plugins the server loaded and the types they provide
  ping       Check that the server answers
  version    Print the client version
  help       Show this help, or `ekaci help <command>`

Global options:
  --socket PATH   Server socket (default: from the configuration file, else
                  $XDG_RUNTIME_DIR/ekaci.sock; $EKACI_SOCKET overrides)
  --config FILE   Server configuration to read the socket path from
  -h, --help      Show this help

Exit status: 0 success, 1 the server refused or reported an error, 2 usage error, 3 server unreachable (docs/ERRORS.md).
)";

constexpr const char* kStatusUsage = R"(Usage: ekaci status [--json]

Shows the server's version, uptime, configuration file, database, HTTP address, socket,
loaded plugins (and any optional plugin that was skipped, with the reason) and the
build queue depth per system.

  --json   Print the raw JSON answer
)";

constexpr const char* kPluginsUsage = R"(Usage: ekaci plugins [--json]
       ekaci plugins describe TYPE

Lists the plugins the server loaded, with version, file and the (kind:type) pairs each provides.
`describe` needs no server: it loads the bundled plugins (and --config's plugin_paths) and
prints where TYPE's block goes in ekaci.toml and the settings it declares.

  --json   Print the raw JSON answer
)";

constexpr const char* kPingUsage = R"(Usage: ekaci ping

Exits 0 when the server answers, 3 when it cannot be reached.
)";

std::string formatDuration(long long seconds) {
  std::string out;
  if (seconds >= 86400) out += std::to_string(seconds / 86400) + "d ";
  if (seconds >= 3600) out += std::to_string(seconds / 3600 % 24) + "h ";
  if (seconds >= 60) out += std::to_string(seconds / 60 % 60) + "m ";
  return out + std::to_string(seconds % 60) + "s";
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object->has(key) ? object->get(key).convert<std::string>() : std::string("?");
}

}  // namespace

int CliApp::call(const std::string& command, std::string& result) {
  return request(R"({"command":")" + command + R"("})", result);
}

int CliApp::request(const std::string& requestJson, std::string& result) {
  std::optional<std::filesystem::path> config;
  if (!configFile_.empty()) config = configFile_;
  std::filesystem::path socket = socket_;
  if (socket.empty()) socket = environment_.nonEmpty("EKACI_SOCKET").value_or("");
  if (socket.empty()) socket = config::ConfigLoader(environment_).socketPathFor(config);
  auto response = SocketClient(socket).request(requestJson);
  if (!response) {
    err_ << "ekaci: " << response.error().message() << "\n";
    return exitCode(config::ExitStatus::CouldNot);
  }
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*response).extract<Poco::JSON::Object::Ptr>();
    if (!object->getValue<bool>("ok")) {
      auto error = object->getObject("error");
      err_ << "ekaci: server error E" << text(error, "code") << " " << text(error, "name") << ": "
           << text(error, "message") << "\n";
      return exitCode(config::ExitStatus::No);
    }
    std::ostringstream raw;
    object->getObject("result")->stringify(raw);
    result = raw.str();
  } catch (const std::exception& e) {
    err_ << "ekaci: the server's answer is not valid JSON: " << e.what() << "\n";
    return exitCode(config::ExitStatus::No);
  }
  return 0;
}

int CliApp::status(bool json) {
  std::string result;
  if (int rc = call("status", result); rc != 0) return rc;
  if (json) {
    out_ << result << "\n";
    return 0;
  }
  Poco::JSON::Parser parser;
  auto s = parser.parse(result).extract<Poco::JSON::Object::Ptr>();
  out_ << "eka-ci " << text(s, "version") << ", up " << formatDuration(s->getValue<long long>("uptime_seconds"))
       << "\n";
  out_ << "  config:    " << text(s, "config_file") << "\n";
  out_ << "  database:  " << text(s, "database") << " (schema v" << text(s, "schema_version") << ")\n";
  out_ << "  http:      " << text(s, "http") << "\n";
  out_ << "  socket:    " << text(s, "socket_path") << "\n";
  out_ << "  logs:      " << text(s, "logs_dir") << "\n";
  auto plugins = s->getArray("plugins");
  out_ << "  plugins:   " << plugins->size() << " loaded\n";
  for (std::size_t i = 0; i < plugins->size(); ++i) {
    auto p = plugins->getObject(static_cast<unsigned>(i));
    std::string provides;
    auto list = p->getArray("provides");
    for (std::size_t j = 0; j < list->size(); ++j)
      provides += (j ? ", " : "") + list->getElement<std::string>(static_cast<unsigned>(j));
    out_ << "    - " << text(p, "name") << " " << text(p, "version") << " (" << provides << ")\n";
  }
  auto skipped = s->getArray("skipped_plugins");
  for (std::size_t i = 0; skipped && i < skipped->size(); ++i) {
    auto p = skipped->getObject(static_cast<unsigned>(i));
    out_ << "    ! skipped " << text(p, "file") << ": " << text(p, "error") << "\n";
  }
  auto queues = s->getObject("queue_depths");
  std::vector<std::string> systems;
  queues->getNames(systems);
  out_ << "  queues:    " << (systems.empty() ? "empty" : "") << "\n";
  for (const auto& system : systems) out_ << "    " << system << ": " << text(queues, system) << "\n";
  out_ << "  jobsets:   " << text(s, "jobsets") << ", derivations: " << text(s, "derivations")
       << ", pending forge messages: " << text(s, "pending_forge_messages") << "\n";
  return 0;
}

int CliApp::plugins(bool json) {
  std::string result;
  if (int rc = call("plugins", result); rc != 0) return rc;
  if (json) {
    out_ << result << "\n";
    return 0;
  }
  Poco::JSON::Parser parser;
  auto list = parser.parse(result).extract<Poco::JSON::Object::Ptr>()->getArray("plugins");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto p = list->getObject(static_cast<unsigned>(i));
    out_ << text(p, "name") << " " << text(p, "version") << "  " << text(p, "file") << "\n";
    auto provides = p->getArray("provides");
    for (std::size_t j = 0; j < provides->size(); ++j) {
      out_ << "  provides " << provides->getElement<std::string>(static_cast<unsigned>(j)) << "\n";
    }
  }
  return 0;
}

int CliApp::describePlugin(const std::string& type) {
  services::Logging logging(*services::LogFilter::parse("error"));
  auto logger = logging.logger("plugin_host");
  std::optional<std::filesystem::path> config;
  if (!configFile_.empty()) config = configFile_;
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto plugins = server::Bootstrap::loadPlugins(config, ec ? std::filesystem::path("/usr/local/bin/ekaci") : self,
                                                environment_, *logger);
  if (!plugins) {
    err_ << "ekaci plugins describe: " << plugins.error().describe() << "\n";
    return exitCode(config::ExitStatus::Usage);
  }
  auto text = plugin_host::PluginDocumentation::describe((*plugins)->registry(), type);
  if (!text) {
    std::vector<std::string> all;
    for (auto kind : {sdk::PluginKind::Cache, sdk::PluginKind::CredentialSource, sdk::PluginKind::Evaluator,
                      sdk::PluginKind::Forge}) {
      for (const auto& t : (*plugins)->registry().types(kind)) all.push_back(t);
    }
    err_ << "ekaci plugins describe: no loaded plugin provides '" << type << "'" << config::Suggestion::hint(type, all)
         << "\n";
    return exitCode(config::ExitStatus::Usage);
  }
  out_ << *text;
  return 0;
}

int CliApp::ping() {
  std::string result;
  if (int rc = call("ping", result); rc != 0) return rc;
  out_ << "pong\n";
  return 0;
}

int CliApp::run(const std::vector<std::string>& args) {
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-h" || a == "--help") {
      out_ << kUsage;
      return 0;
    }
    if ((a == "--socket" || a == "--config") && i + 1 < args.size()) {
      (a == "--socket" ? socket_ : configFile_) = args[++i];
      continue;
    }
    if (a.rfind("--", 0) == 0) {
      err_ << "ekaci: unknown or incomplete option '" << a << "'\n\n" << kUsage;
      return exitCode(config::ExitStatus::Usage);
    }
    break;
  }
  if (i >= args.size()) {
    err_ << kUsage;
    return exitCode(config::ExitStatus::Usage);
  }
  const std::string& command = args[i];
  std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  const bool wantsHelp = std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
                         std::find(rest.begin(), rest.end(), "-h") != rest.end();
  const bool json = std::find(rest.begin(), rest.end(), "--json") != rest.end();
  auto checkOptions = [&](std::initializer_list<const char*> allowed) {
    for (const auto& option : rest) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || option == a;
      if (!ok) {
        err_ << "ekaci " << command << ": unknown option '" << option << "'\n";
        return false;
      }
    }
    return true;
  };
  if (command == "help") {
    const std::string topic = rest.empty() ? "" : rest.front();
    if (topic == "review") {
      out_ << ReviewCommand::usage();
    } else if (BuildsCommand::handles(topic)) {
      out_ << BuildsCommand::usage();
    } else if (ApprovalCommand::handles(topic)) {
      out_ << ApprovalCommand::usage();
    } else if (MergeCommand::handles(topic)) {
      out_ << MergeCommand::usage();
    } else if (topic == "status") {
      out_ << kStatusUsage;
    } else if (topic == "plugins") {
      out_ << kPluginsUsage;
    } else if (topic == "ping") {
      out_ << kPingUsage;
    } else {
      out_ << kUsage;
    }
    return 0;
  }
  if (BuildsCommand::handles(command)) {
    if (wantsHelp) return out_ << BuildsCommand::usage(), 0;
    return BuildsCommand(out_, err_,
                         [this](const std::string& req, std::string& result) { return request(req, result); })
        .run(command, rest);
  }
  if (ApprovalCommand::handles(command)) {
    if (wantsHelp) return out_ << ApprovalCommand::usage(), 0;
    return ApprovalCommand(out_, err_,
                           [this](const std::string& req, std::string& result) { return request(req, result); })
        .run(command, rest);
  }
  if (MergeCommand::handles(command)) {
    if (wantsHelp) return out_ << MergeCommand::usage(), 0;
    return MergeCommand(out_, err_,
                        [this](const std::string& req, std::string& result) { return request(req, result); })
        .run(command, rest);
  }
  if (command == "review") {
    return ReviewCommand(environment_, out_, err_).run(rest, configFile_);
  }
  if (command == "version") {
    out_ << "ekaci " << EKACI_SDK_VERSION << "\n";
    return 0;
  }
  if (command == "status") {
    if (wantsHelp) return out_ << kStatusUsage, 0;
    return checkOptions({"--json"}) ? status(json) : 2;
  }
  if (command == "plugins") {
    if (wantsHelp) return out_ << kPluginsUsage, 0;
    if (!rest.empty() && rest.front() == "describe") {
      if (rest.size() != 2) return err_ << kPluginsUsage, 2;
      return describePlugin(rest[1]);
    }
    return checkOptions({"--json"}) ? plugins(json) : 2;
  }
  if (command == "ping") {
    if (wantsHelp) return out_ << kPingUsage, 0;
    return checkOptions({}) ? ping() : exitCode(config::ExitStatus::Usage);
  }
  err_ << "ekaci: unknown command '" << command << "'\n\n" << kUsage;
  return exitCode(config::ExitStatus::Usage);
}

}  // namespace ekaci::cli
