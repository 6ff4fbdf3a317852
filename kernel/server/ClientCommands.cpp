#include "kernel/server/ClientCommands.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "kernel/server/ApprovalCommands.h"
#include "kernel/server/BuildService.h"
#include "kernel/server/MergeSocketCommands.h"

namespace ekaci::server {

std::string ClientCommands::errorResponse(sdk::ErrorCode code, const std::string& message) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
  error->set("code", static_cast<int>(code));
  error->set("name", std::string(sdk::errorCodeName(code)));
  error->set("message", message);
  Poco::JSON::Object root;
  root.set("ok", false);
  root.set("error", error);
  std::ostringstream out;
  root.stringify(out);
  return out.str();
}

sdk::Result<std::string> ClientCommands::parseCommand(const std::string& request) {
  try {
    Poco::JSON::Parser parser;
    auto parsed = parser.parse(request);
    auto object = parsed.extract<Poco::JSON::Object::Ptr>();
    if (object.isNull() || !object->has("command") || !object->get("command").isString()) {
      return sdk::Error(sdk::ErrorCode::ProtocolMalformed, "a request is a JSON object with a string 'command'");
    }
    return object->getValue<std::string>("command");
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::ProtocolMalformed, "request is not valid JSON: " + e.message());
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::ProtocolMalformed, "a request is a JSON object with a string 'command'");
  }
}

std::string ClientCommands::handle(const std::string& request) const {
  auto parsed = parseCommand(request);
  if (!parsed) return errorResponse(parsed.error().code(), parsed.error().message());
  const std::string& command = *parsed;
  logger_.debug("client command", {{"command", command}});
  if (command == "ping") return R"({"ok":true,"result":{"pong":true}})";
  if (command == "status") return R"({"ok":true,"result":)" + status_.statusJson() + "}";
  if (command == "plugins") return R"({"ok":true,"result":)" + status_.pluginsJson() + "}";
  if (builds_ != nullptr && BuildService::handles(command)) {
    Poco::JSON::Parser parser;
    auto object = parser.parse(request).extract<Poco::JSON::Object::Ptr>();  // parsed once already
    return builds_->handle(command, *object);
  }
  if (approvals_ != nullptr && ApprovalCommands::handles(command)) {
    Poco::JSON::Parser parser;
    auto object = parser.parse(request).extract<Poco::JSON::Object::Ptr>();
    return approvals_->handle(command, *object);
  }
  if (merges_ != nullptr && MergeSocketCommands::handles(command)) {
    Poco::JSON::Parser parser;
    auto object = parser.parse(request).extract<Poco::JSON::Object::Ptr>();
    return merges_->handle(command, *object);
  }
  return errorResponse(
      sdk::ErrorCode::ProtocolUnknownCommand,
      "unknown command '" + command.substr(0, 64) + "' (known: ping, status, plugins" +
          (builds_ != nullptr ? ", builds, build, jobset, logs, derivation" : "") +
          (approvals_ != nullptr ? ", approve, unapprove, approved" : "") +
          (merges_ != nullptr ? ", merge-eligibility, auto-merge, merge, maintainers, maintainer, token" : "") + ")");
}

}  // namespace ekaci::server
