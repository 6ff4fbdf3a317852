#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::services {

// Log levels per module, from an EKACI_LOG (or RUST_LOG-style) specification:
//   "info"                               everything at info
//   "storage=debug,warn"                 storage at debug, everything else at warn
//   "eka_ci_server::scheduler=debug"     Eka CI's spelling; "::" is read as "."
// The most specific module prefix wins ("plugin.cache" matches "plugin.cache.attic").
class LogFilter {
 public:
  LogFilter() = default;
  static sdk::Result<LogFilter> parse(const std::string& specification);
  static sdk::Result<sdk::LogLevel> parseLevel(const std::string& name);

  sdk::LogLevel levelFor(const std::string& module) const;
  sdk::LogLevel defaultLevel() const noexcept { return defaultLevel_; }

 private:
  sdk::LogLevel defaultLevel_ = sdk::LogLevel::Info;
  std::vector<std::pair<std::string, sdk::LogLevel>> modules_;
};

}  // namespace ekaci::services
