#pragma once

#include <string>

#include "ekaci/sdk/Logger.h"
#include "kernel/server/StatusService.h"

namespace ekaci::server {

class ApprovalCommands;
class BuildService;
class MergeSocketCommands;

// Answers the CLI's requests on the Unix socket: {"command": "status" | "ping" | "plugins"},
// with a BuildService also "builds", "build", "jobset", "logs" and "derivation", and with
// ApprovalCommands "approve", "unapprove" and "approved", with MergeSocketCommands the
// merge commands.
// Responses are {"ok": true, "result": {...}} or {"ok": false, "error": {code, name, message}}.
class ClientCommands {
 public:
  ClientCommands(const StatusService& status, sdk::Logger& logger, BuildService* builds = nullptr,
                 const ApprovalCommands* approvals = nullptr, const MergeSocketCommands* merges = nullptr)
      : status_(status), logger_(logger), builds_(builds), approvals_(approvals), merges_(merges) {}
  std::string handle(const std::string& request) const;

  static std::string errorResponse(sdk::ErrorCode code, const std::string& message);
  // The command of a request: {"command": "<name>", ...}. ProtocolMalformed otherwise.
  static sdk::Result<std::string> parseCommand(const std::string& request);

 private:
  const StatusService& status_;
  sdk::Logger& logger_;
  BuildService* builds_;
  const ApprovalCommands* approvals_;
  const MergeSocketCommands* merges_;
};

}  // namespace ekaci::server
