#include "cli/MergeCommand.h"

#include "kernel/config/ExitStatus.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <ostream>
#include <sstream>

namespace ekaci::cli {
namespace {

constexpr const char* kUsage = R"(Usage: ekaci merge-eligibility OWNER/REPO#NUMBER
       ekaci auto-merge enable|disable OWNER/REPO#NUMBER [--method merge|squash|rebase]
       ekaci merge OWNER/REPO#NUMBER [--method merge|squash|rebase]
       ekaci maintainers [ATTR]
       ekaci maintainer add|remove ATTR USER
       ekaci token USER [--admin] [--hours N]

Merges of pull requests on the running server, as its administrator (over its socket):
whether a pull request would be merged now and why not, auto-merge on or off (it merges
once the head's review passed and every changed package's maintainer approved), a merge now
(the review's gates still apply), the package maintainers the server knows besides the
package set's own meta.maintainers, and a bearer token for the HTTP API's write endpoints.
Answers are printed as JSON.
)";

std::string quoted(const std::string& text) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(text, out);
  return out.str();
}

// OWNER/REPO#NUMBER as request fields.
bool target(const std::string& text, std::string& fields) {
  const auto slash = text.find('/');
  const auto hash = text.rfind('#');
  if (slash == std::string::npos || hash == std::string::npos || hash < slash + 2 || slash == 0 ||
      hash + 1 == text.size()) {
    return false;
  }
  fields = R"("owner":)" + quoted(text.substr(0, slash)) + R"(,"repo":)" +
           quoted(text.substr(slash + 1, hash - slash - 1)) + R"(,"number":)" + quoted(text.substr(hash + 1));
  return true;
}

}  // namespace

bool MergeCommand::handles(const std::string& command) {
  return command == "merge-eligibility" || command == "auto-merge" || command == "merge" || command == "maintainers" ||
         command == "maintainer" || command == "token";
}

const char* MergeCommand::usage() {
  return kUsage;
}

int MergeCommand::usageError(const std::string& command, const std::string& why) {
  err_ << "ekaci " << command << ": " << why << "\n" << kUsage;
  return exitCode(config::ExitStatus::Usage);
}

int MergeCommand::run(const std::string& command, const std::vector<std::string>& args) {
  std::vector<std::string> operands;
  std::string method, hours;
  bool admin = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--method" || a == "--hours") && i + 1 < args.size()) {
      (a == "--method" ? method : hours) = args[++i];
    } else if (a == "--admin" && command == "token") {
      admin = true;
    } else if (a.rfind("--", 0) == 0) {
      return usageError(command, "unknown option '" + a + "'");
    } else {
      operands.push_back(a);
    }
  }
  std::string request;
  std::string fields;
  const std::string methodField = method.empty() ? "" : R"(,"method":)" + quoted(method);
  if (command == "merge-eligibility" || command == "merge") {
    if (operands.size() != 1 || !target(operands[0], fields)) return usageError(command, "name one OWNER/REPO#NUMBER");
    request = R"({"command":")" + command + R"(",)" + fields + methodField + "}";
  } else if (command == "auto-merge") {
    if (operands.size() != 2 || (operands[0] != "enable" && operands[0] != "disable") || !target(operands[1], fields)) {
      return usageError(command, "enable or disable, then OWNER/REPO#NUMBER");
    }
    request = R"({"command":"auto-merge",)" + fields + R"(,"enable":)" + (operands[0] == "enable" ? "true" : "false") +
              methodField + "}";
  } else if (command == "maintainers") {
    if (operands.size() > 1) return usageError(command, "at most one attribute path");
    request = R"({"command":"maintainers","attr":)" + quoted(operands.empty() ? "" : operands[0]) + "}";
  } else if (command == "maintainer") {
    if (operands.size() != 3 || (operands[0] != "add" && operands[0] != "remove")) {
      return usageError(command, "add or remove, then ATTR and USER");
    }
    request = R"({"command":"maintainer","attr":)" + quoted(operands[1]) + R"(,"user":)" + quoted(operands[2]) +
              R"(,"remove":)" + (operands[0] == "remove" ? "true" : "false") + "}";
  } else {  // token
    if (operands.size() != 1) return usageError(command, "name one USER");
    std::string hoursField;
    if (!hours.empty()) {
      if (hours.find_first_not_of("0123456789") != std::string::npos || hours.size() > 5) {
        return usageError(command, "--hours takes a number");
      }
      hoursField = R"(,"hours":)" + hours;
    }
    request = R"({"command":"token","user":)" + quoted(operands[0]) + R"(,"admin":)" + (admin ? "true" : "false") +
              hoursField + "}";
  }
  std::string result;
  if (const int status = transport_(request, result); status != 0) return status;
  if (command == "token") {
    try {
      Poco::JSON::Parser parser;
      out_ << parser.parse(result).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("token") << "\n";
      return 0;
    } catch (const std::exception&) {
      err_ << "ekaci token: unexpected answer from the server\n";
      return exitCode(config::ExitStatus::No);
    }
  }
  out_ << result << "\n";
  return 0;
}

}  // namespace ekaci::cli
