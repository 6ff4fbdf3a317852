#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Off };

using LogFields = std::vector<std::pair<std::string, std::string>>;

// A logger scoped to one component ("plugin.credentials.file.main"). Structured fields are
// rendered as key=value after the message. Never pass a secret: Secret formats as
// <redacted>, but its reveal() must not reach a log.
//
// Threading: every method may be called from any thread.
// Lifetime: a logger obtained from HostServices lives as long as the HostServices.
class EKACI_SDK_API Logger {
 public:
  virtual ~Logger();
  virtual bool enabled(LogLevel level) const = 0;
  virtual void log(LogLevel level, std::string_view message, const LogFields& fields) = 0;

  void trace(std::string_view m, const LogFields& f = {}) { log(LogLevel::Trace, m, f); }
  void debug(std::string_view m, const LogFields& f = {}) { log(LogLevel::Debug, m, f); }
  void info(std::string_view m, const LogFields& f = {}) { log(LogLevel::Info, m, f); }
  void warn(std::string_view m, const LogFields& f = {}) { log(LogLevel::Warn, m, f); }
  void error(std::string_view m, const LogFields& f = {}) { log(LogLevel::Error, m, f); }
};

}  // namespace ekaci::sdk
