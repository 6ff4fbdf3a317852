#pragma once

#include <memory>
#include <string>

#include "ekaci/sdk/Logger.h"

namespace spdlog {
class logger;
}

namespace ekaci::services {

// sdk::Logger on top of an spdlog logger. Fields are appended as key=value.
class SpdLogger : public sdk::Logger {
 public:
  SpdLogger(std::shared_ptr<spdlog::logger> logger, sdk::LogLevel level);
  ~SpdLogger() override;
  bool enabled(sdk::LogLevel level) const override { return level >= level_ && level != sdk::LogLevel::Off; }
  void log(sdk::LogLevel level, std::string_view message, const sdk::LogFields& fields) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
  sdk::LogLevel level_;
};

}  // namespace ekaci::services
