#include "kernel/services/SpdLogger.h"

#include <spdlog/spdlog.h>

namespace ekaci::services {
namespace {
spdlog::level::level_enum toSpd(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::Trace:
      return spdlog::level::trace;
    case sdk::LogLevel::Debug:
      return spdlog::level::debug;
    case sdk::LogLevel::Info:
      return spdlog::level::info;
    case sdk::LogLevel::Warn:
      return spdlog::level::warn;
    case sdk::LogLevel::Error:
      return spdlog::level::err;
    case sdk::LogLevel::Off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

void appendField(std::string& out, const std::string& key, const std::string& value) {
  out += ' ';
  out += key;
  out += '=';
  bool quote = value.empty() || value.find_first_of(" \t\"=") != std::string::npos;
  if (!quote) {
    out += value;
    return;
  }
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  out += '"';
}
}  // namespace

SpdLogger::SpdLogger(std::shared_ptr<spdlog::logger> logger, sdk::LogLevel level)
    : logger_(std::move(logger)), level_(level) {
  logger_->set_level(toSpd(level));
}

SpdLogger::~SpdLogger() = default;

void SpdLogger::log(sdk::LogLevel level, std::string_view message, const sdk::LogFields& fields) {
  if (!enabled(level)) return;
  std::string line(message);
  for (const auto& [key, value] : fields) appendField(line, key, value);
  logger_->log(toSpd(level), "{}", line);
}

}  // namespace ekaci::services
