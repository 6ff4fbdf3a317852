#include "cli/ApprovalCommand.h"

#include "kernel/config/ExitStatus.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <ostream>
#include <sstream>

namespace ekaci::cli {
namespace {

constexpr const char* kUsage = R"(Usage: ekaci approve USER
       ekaci unapprove USER
       ekaci approved [--json]

With require_approval, pull requests from forks are evaluated and built only when their
author is approved; the others get an "EkaCI: Approval Required" check. These commands
manage the list on the running server (over its socket).
)";

std::string quoted(const std::string& text) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(text, out);
  return out.str();
}

}  // namespace

bool ApprovalCommand::handles(const std::string& command) {
  return command == "approve" || command == "unapprove" || command == "approved";
}

const char* ApprovalCommand::usage() {
  return kUsage;
}

int ApprovalCommand::run(const std::string& command, const std::vector<std::string>& args) {
  bool json = false;
  std::vector<std::string> operands;
  for (const auto& a : args) {
    if (a == "--json" && command == "approved") {
      json = true;
    } else if (a.rfind("--", 0) == 0) {
      err_ << "ekaci " << command << ": unknown option '" << a << "'\n" << kUsage;
      return exitCode(config::ExitStatus::Usage);
    } else {
      operands.push_back(a);
    }
  }
  const bool needsUser = command != "approved";
  if (operands.size() != (needsUser ? 1u : 0u)) {
    err_ << "ekaci " << command << ": wrong number of arguments\n" << kUsage;
    return exitCode(config::ExitStatus::Usage);
  }
  const std::string request = needsUser ? R"({"command":")" + command + R"(","user":)" + quoted(operands[0]) + "}"
                                        : R"({"command":"approved"})";
  std::string result;
  if (const int status = transport_(request, result); status != 0) return status;
  if (json) {
    out_ << result << "\n";
    return 0;
  }
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(result).extract<Poco::JSON::Object::Ptr>();
    if (!needsUser) {
      auto users = object->getArray("approved_users");
      for (std::size_t i = 0; users && i < users->size(); ++i)
        out_ << users->getElement<std::string>(static_cast<unsigned>(i)) << "\n";
      if (!users || users->size() == 0) out_ << "no approved users\n";
      return 0;
    }
    const bool changed = object->getValue<bool>("changed");
    out_ << operands[0]
         << (command == "approve" ? (changed ? " approved\n" : " was already approved\n")
                                  : (changed ? " is no longer approved\n" : " was not approved\n"));
    return 0;
  } catch (const std::exception&) {
    err_ << "ekaci " << command << ": unexpected answer from the server\n";
    return exitCode(config::ExitStatus::No);
  }
}

}  // namespace ekaci::cli
