#include "kernel/services/Logging.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "kernel/services/SpdLogger.h"

namespace ekaci::services {
namespace {
constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %n: %v";
}

Logging::Logging(LogFilter filter)
    : filter_(std::move(filter)), sink_(std::make_shared<spdlog::sinks::stderr_sink_mt>()) {
  sink_->set_pattern(kPattern);
}

Logging::Logging(LogFilter filter, std::ostream& stream)
    : filter_(std::move(filter)), sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(stream, true)) {
  sink_->set_pattern(kPattern);
}

Logging::~Logging() { flush(); }

std::unique_ptr<sdk::Logger> Logging::logger(const std::string& module) const {
  auto spd = std::make_shared<spdlog::logger>(module, sink_);
  spd->flush_on(spdlog::level::warn);
  return std::make_unique<SpdLogger>(std::move(spd), filter_.levelFor(module));
}

void Logging::flush() { sink_->flush(); }

}  // namespace ekaci::services
