#include "kernel/server/ApprovalCommands.h"

#include <Poco/JSON/Array.h>

#include <cctype>
#include <sstream>

#include "kernel/server/ClientCommands.h"

namespace ekaci::server {

bool ApprovalCommands::handles(const std::string& command) {
  return command == "approve" || command == "unapprove" || command == "approved";
}

bool ApprovalCommands::validLogin(const std::string& login) {
  std::string name = login;
  if (name.size() > 5 && name.compare(name.size() - 5, 5, "[bot]") == 0) name.resize(name.size() - 5);
  if (name.empty() || name.size() > 39 || name.front() == '-') return false;
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '-') return false;
  }
  return true;
}

std::string ApprovalCommands::handle(const std::string& command, const Poco::JSON::Object& request) const {
  auto fail = [](const sdk::Error& e) { return ClientCommands::errorResponse(e.code(), e.message()); };
  if (command == "approved") {
    auto users = storage_.approvedUsers();
    if (!users) return fail(users.error());
    Poco::JSON::Array list;
    for (const auto& user : *users) list.add(user);
    std::ostringstream out;
    list.stringify(out);
    return R"({"ok":true,"result":{"approved_users":)" + out.str() + "}}";
  }
  if (!request.has("user") || !request.get("user").isString()) {
    return fail(sdk::Error(sdk::ErrorCode::ProtocolMalformed, "'" + command + "' needs a string 'user'"));
  }
  const std::string user = request.getValue<std::string>("user");
  if (!validLogin(user)) {
    return fail(sdk::Error(sdk::ErrorCode::InvalidArgument, "not a forge login: '" + user.substr(0, 64) + "'"));
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
  auto changed = storage_.setApprovedUser(user, command == "approve", now);
  if (!changed) return fail(changed.error());
  return std::string(R"({"ok":true,"result":{"user":")") + user + R"(","changed":)" + (*changed ? "true" : "false") +
         "}}";
}

}  // namespace ekaci::server
