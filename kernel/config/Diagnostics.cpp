#include "kernel/config/Diagnostics.h"

namespace ekaci::config {

void Diagnostics::add(sdk::ErrorCode code, sdk::SourceLocation location, std::string key, std::string message) {
  entries_.push_back(Entry{code, std::move(location), std::move(key), std::move(message)});
}

std::string Diagnostics::describe() const {
  std::string out;
  for (const auto& e : entries_) {
    out += e.location.describe();
    out += ": error E" + std::to_string(static_cast<int>(e.code));
    if (!e.key.empty()) out += " [" + e.key + "]";
    out += ": " + e.message + "\n";
  }
  return out;
}

sdk::Error Diagnostics::toError() const {
  std::string text = describe();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return sdk::Error(entries_.empty() ? sdk::ErrorCode::Internal : entries_.front().code, text);
}

}  // namespace ekaci::config
