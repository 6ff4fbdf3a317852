#pragma once

#include <string>

#include "ekaci/sdk/Logger.h"
#include "kernel/server/StatusService.h"

namespace ekaci::server {

// Answers the CLI's requests on the Unix socket: {"command": "status" | "ping" | "plugins"}.
// Responses are {"ok": true, "result": {...}} or {"ok": false, "error": {code, name, message}}.
class ClientCommands {
 public:
  ClientCommands(const StatusService& status, sdk::Logger& logger) : status_(status), logger_(logger) {}
  std::string handle(const std::string& request) const;

  static std::string errorResponse(sdk::ErrorCode code, const std::string& message);
  // The command of a request: {"command": "<name>", ...}. ProtocolMalformed otherwise.
  static sdk::Result<std::string> parseCommand(const std::string& request);

 private:
  const StatusService& status_;
  sdk::Logger& logger_;
};

}  // namespace ekaci::server
