#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ekaci/sdk/Logger.h"

namespace ekaci::sdk::testing {

// A Logger that keeps every record, for assertions (including "no secret was logged").
class CapturingLogger : public Logger {
 public:
  struct Record {
    LogLevel level;
    std::string message;
    LogFields fields;
  };

  bool enabled(LogLevel /*level*/) const override { return true; }
  void log(LogLevel level, std::string_view message, const LogFields& fields) override;

  std::vector<Record> records() const;
  // True when any message, field name or field value contains `text`.
  bool contains(std::string_view text) const;
  std::size_t count(LogLevel level) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Record> records_;
};

}  // namespace ekaci::sdk::testing
