#pragma once

#include <chrono>
#include <optional>
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

  // Set when the other side said when to try again (Retry-After, a rate limit's reset): the
  // caller should wait that long before retrying; absent: the caller's own backoff applies.
  std::optional<std::chrono::seconds> retryAfter() const noexcept { return retryAfter_; }
  Error& withRetryAfter(std::chrono::seconds delay) {
    retryAfter_ = delay < std::chrono::seconds(0) ? std::chrono::seconds(0) : delay;
    return *this;
  }

 private:
  ErrorCode code_;
  std::string message_;
  std::optional<std::chrono::seconds> retryAfter_;
};

}  // namespace ekaci::sdk
