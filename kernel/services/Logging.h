#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "ekaci/sdk/Logger.h"
#include "kernel/services/LogFilter.h"

namespace spdlog::sinks {
class sink;
}

namespace ekaci::services {

// Owns the log output (one spdlog sink) and hands out module loggers filtered by a
// LogFilter. There is no global logger: whoever needs to log is given one.
class Logging {
 public:
  // Logs to standard error.
  explicit Logging(LogFilter filter);
  // Logs to the given stream (tests).
  Logging(LogFilter filter, std::ostream& stream);
  ~Logging();

  std::unique_ptr<sdk::Logger> logger(const std::string& module) const;
  void flush();

 private:
  LogFilter filter_;
  std::shared_ptr<spdlog::sinks::sink> sink_;
};

}  // namespace ekaci::services
