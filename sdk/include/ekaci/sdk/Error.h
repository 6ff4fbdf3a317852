#pragma once

#include <string>
#include <utility>

#include "ekaci/sdk/ErrorCode.h"
#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

// An error that crosses the plugin boundary by value. Messages never contain secrets.
class EKACI_SDK_API Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }

  // Prefixes the message with what the caller was doing: "loading x.so: <message>".
  Error& withContext(std::string_view context);

  // "E3002 plugin.api_version_mismatch: <message>"
  std::string describe() const;

 private:
  ErrorCode code_;
  std::string message_;
};

}  // namespace ekaci::sdk
