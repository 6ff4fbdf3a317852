#include "cli/BuildsCommand.h"

#include "kernel/config/ExitStatus.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <ostream>
#include <sstream>
#include <thread>

namespace ekaci::cli {
namespace {

constexpr const char* kUsage = R"(Usage:
  ekaci build DRV... [--wait] [--rebuild] [--json]
                                         Build derivations on the server as one jobset
  ekaci builds [--json]                  Builds running or waiting, most urgent first
  ekaci jobset ID [--wait] [--json]      A jobset's build state and its derivations
  ekaci derivation DRV [--json]          A derivation's build state and history
  ekaci logs DRV                         A derivation's build log (also while it builds)

DRV is a /nix/store/...drv path or its file name. --wait waits until the jobset concludes
and exits 0 when it succeeded, 1 otherwise. A failed derivation is not built again until its
cached failure expires ([builders] failure_cache_seconds); --rebuild forgets the cached
failures of the derivations asked for and of their dependencies, and builds them again.
)";

Poco::JSON::Object::Ptr parse(const std::string& json) {
  Poco::JSON::Parser parser;
  return parser.parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string field(const Poco::JSON::Object::Ptr& o, const std::string& key) {
  return o->has(key) ? o->get(key).convert<std::string>() : std::string();
}

std::string quoted(const std::string& text) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(Poco::Dynamic::Var(text), out);
  return out.str();
}

}  // namespace

bool BuildsCommand::handles(const std::string& command) {
  return command == "build" || command == "builds" || command == "jobset" || command == "logs" ||
         command == "derivation";
}

const char* BuildsCommand::usage() {
  return kUsage;
}

int BuildsCommand::run(const std::string& command, const std::vector<std::string>& args) {
  bool wait = false, json = false, rebuild = false;
  std::vector<std::string> operands;
  for (const auto& a : args) {
    if (a == "--wait" && (command == "build" || command == "jobset")) {
      wait = true;
    } else if (a == "--rebuild" && command == "build") {
      rebuild = true;
    } else if (a == "--json" && command != "logs") {
      json = true;
    } else if (a.rfind("--", 0) == 0) {
      err_ << "ekaci " << command << ": unknown option '" << a << "'\n" << kUsage;
      return exitCode(config::ExitStatus::Usage);
    } else {
      operands.push_back(a);
    }
  }
  const bool needsOne = command == "jobset" || command == "logs" || command == "derivation";
  if ((command == "builds" && !operands.empty()) || (needsOne && operands.size() != 1) ||
      (command == "build" && operands.empty())) {
    err_ << "ekaci " << command << ": wrong number of arguments\n" << kUsage;
    return exitCode(config::ExitStatus::Usage);
  }
  std::string request, result;
  if (command == "builds") {
    request = R"({"command":"builds"})";
  } else if (command == "logs" || command == "derivation") {
    request = R"({"command":")" + command + R"(","drv":)" + quoted(operands[0]) + "}";
  } else if (command == "jobset") {
    try {
      std::size_t used = 0;
      const long long id = std::stoll(operands[0], &used);
      if (used != operands[0].size()) throw std::invalid_argument("id");
      if (wait) return waitForJobset(id, json);
      request = R"({"command":"jobset","id":)" + std::to_string(id) + "}";
    } catch (const std::exception&) {
      err_ << "ekaci jobset: '" << operands[0] << "' is not a jobset id\n";
      return exitCode(config::ExitStatus::Usage);
    }
  } else {
    request = R"({"command":"build","drvs":[)";
    for (std::size_t i = 0; i < operands.size(); ++i) request += (i ? "," : "") + quoted(operands[i]);
    request += std::string("]") + (rebuild ? R"(,"rebuild":true)" : "") + "}";
  }
  if (int rc = transport_(request, result); rc != 0) return rc;
  auto o = parse(result);
  if (command == "logs") {
    out_ << field(o, "log");
    return 0;
  }
  if (json && !(command == "build" && wait)) {
    out_ << result << "\n";
    return 0;
  }
  if (command == "build") {
    const long long id = o->getValue<long long>("jobset_id");
    if (!wait) {
      out_ << "jobset " << id << " submitted (ekaci jobset " << id << " --wait)\n";
      return 0;
    }
    return waitForJobset(id, json);
  }
  if (command == "builds") {
    auto list = o->getArray("builds");
    if (list->size() == 0) out_ << "nothing is building or waiting\n";
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto b = list->getObject(static_cast<unsigned>(i));
      out_ << field(b, "state") << "\t" << field(b, "system") << "\t" << field(b, "builder") << "\t"
           << field(b, "drv_path") << "\n";
    }
    return 0;
  }
  if (command == "derivation") {
    out_ << field(o, "drv_path") << ": " << field(o, "state") << " (attempt " << field(o, "attempt") << ")\n";
    auto events = o->getArray("events");
    for (std::size_t i = 0; i < events->size(); ++i) {
      auto e = events->getObject(static_cast<unsigned>(i));
      out_ << "  " << field(e, "at") << "  " << field(e, "state") << "  " << field(e, "detail") << "\n";
    }
    out_ << "  log: " << field(o, "log_url") << "\n";
    return 0;
  }
  // jobset
  out_ << "jobset " << field(o, "jobset_id") << ": " << field(o, "state") << "\n";
  auto roots = o->getArray("roots");
  for (std::size_t i = 0; i < roots->size(); ++i) {
    auto r = roots->getObject(static_cast<unsigned>(i));
    out_ << "  " << field(r, "state") << "\t" << field(r, "drv_path") << "\n";
  }
  return 0;
}

int BuildsCommand::waitForJobset(long long id, bool json) {
  const std::string request = R"({"command":"jobset","id":)" + std::to_string(id) + "}";
  std::string result;
  for (;;) {
    if (int rc = transport_(request, result); rc != 0) return rc;
    auto o = parse(result);
    const std::string state = field(o, "state");
    if (state != "building") {
      if (json) {
        out_ << result << "\n";
      } else {
        out_ << "jobset " << id << ": " << state << "\n";
        auto roots = o->getArray("roots");
        for (std::size_t i = 0; i < roots->size(); ++i) {
          auto r = roots->getObject(static_cast<unsigned>(i));
          out_ << "  " << field(r, "state") << "\t" << field(r, "drv_path") << "\n";
        }
      }
      return exitCode(state == "succeeded" ? config::ExitStatus::Ok : config::ExitStatus::No);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace ekaci::cli
