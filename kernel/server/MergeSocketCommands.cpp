#include "kernel/server/MergeSocketCommands.h"

#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "kernel/server/ApprovalCommands.h"
#include "kernel/server/ClientCommands.h"

namespace ekaci::server {
namespace {

std::string text(const Poco::JSON::Object& request, const std::string& key) {
  if (!request.has(key) || !request.get(key).isString()) return {};
  return request.getValue<std::string>(key);
}

std::string quoted(const std::string& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::formatString(value, out);
  return out.str();
}

}  // namespace

bool MergeSocketCommands::handles(const std::string& command) {
  return command == "merge-eligibility" || command == "auto-merge" || command == "merge" || command == "maintainers" ||
         command == "maintainer" || command == "token";
}

std::string MergeSocketCommands::handle(const std::string& command, const Poco::JSON::Object& request) const {
  auto answer = [](const sdk::Result<std::string>& result) {
    if (!result) return ClientCommands::errorResponse(result.error().code(), result.error().message());
    return R"({"ok":true,"result":)" + *result + "}";
  };
  const forge::MergeApi::Actor admin{"", true};
  if (command == "token") {
    const std::string user = text(request, "user");
    if (!ApprovalCommands::validLogin(user)) {
      return ClientCommands::errorResponse(sdk::ErrorCode::InvalidArgument, "'token' needs a forge login as 'user'");
    }
    const bool isAdmin = request.has("admin") && request.get("admin").isBoolean() && request.getValue<bool>("admin");
    std::int64_t hours = std::int64_t{24} * 7;
    if (request.has("hours") && request.get("hours").isInteger()) hours = request.getValue<std::int64_t>("hours");
    if (hours < 1 || hours > std::int64_t{24} * 366) {
      return ClientCommands::errorResponse(sdk::ErrorCode::InvalidArgument, "hours is between 1 and 8784");
    }
    const std::string token = tokens_.issue(user, isAdmin, std::chrono::hours(hours));
    return R"({"ok":true,"result":{"token":)" + quoted(token) + "}}";
  }
  if (command == "maintainers") return answer(api_.maintainers(text(request, "attr")));
  if (command == "maintainer") {
    const bool remove = request.has("remove") && request.get("remove").isBoolean() && request.getValue<bool>("remove");
    return answer(api_.setMaintainer(text(request, "attr"), text(request, "user"), !remove));
  }
  const std::string owner = text(request, "owner"), name = text(request, "repo"), number = text(request, "number");
  if (owner.empty() || name.empty() || number.empty()) {
    return ClientCommands::errorResponse(sdk::ErrorCode::ProtocolMalformed,
                                         "'" + command + "' needs 'owner', 'repo' and 'number' (strings)");
  }
  const std::string method = text(request, "method");
  const std::string body = method.empty() ? "" : R"({"merge_method":)" + quoted(method) + "}";
  if (command == "merge-eligibility") return answer(api_.eligibility(owner, name, number));
  if (command == "merge") return answer(api_.merge(owner, name, number, body, admin));
  const bool enable = !request.has("enable") || !request.get("enable").isBoolean() || request.getValue<bool>("enable");
  return answer(enable ? api_.enableAutoMerge(owner, name, number, body, admin)
                       : api_.disableAutoMerge(owner, name, number, admin));
}

}  // namespace ekaci::server
