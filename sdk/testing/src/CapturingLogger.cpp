#include "ekaci/sdk/testing/CapturingLogger.h"

namespace ekaci::sdk::testing {

void CapturingLogger::log(LogLevel level, std::string_view message, const LogFields& fields) {
  std::lock_guard lock(mutex_);
  records_.push_back(Record{level, std::string(message), fields});
}

std::vector<CapturingLogger::Record> CapturingLogger::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

bool CapturingLogger::contains(std::string_view text) const {
  std::lock_guard lock(mutex_);
  for (const auto& record : records_) {
    if (record.message.find(text) != std::string::npos) return true;
    for (const auto& [key, value] : record.fields) {
      if (key.find(text) != std::string::npos || value.find(text) != std::string::npos) return true;
    }
  }
  return false;
}

std::size_t CapturingLogger::count(LogLevel level) const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& record : records_) n += record.level == level ? 1 : 0;
  return n;
}

}  // namespace ekaci::sdk::testing
