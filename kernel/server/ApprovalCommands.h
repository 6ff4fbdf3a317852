#pragma once

#include <string>

#include <Poco/JSON/Object.h>

#include "ekaci/sdk/Clock.h"
#include "kernel/storage/Storage.h"

namespace ekaci::server {

// The approved-users list of require_approval, managed over the Unix socket only (whoever
// can reach the socket administers the server; the HTTP API can only read the list):
// "approve" and "unapprove" with a "user", and "approved".
class ApprovalCommands {
 public:
  ApprovalCommands(storage::Storage& storage, const sdk::Clock& clock) : storage_(storage), clock_(clock) {}

  static bool handles(const std::string& command);
  std::string handle(const std::string& command, const Poco::JSON::Object& request) const;
  // A forge login: 1 to 39 letters, digits and '-' (an optional "[bot]" suffix), as GitHub allows.
  static bool validLogin(const std::string& login);

 private:
  storage::Storage& storage_;
  const sdk::Clock& clock_;
};

}  // namespace ekaci::server
