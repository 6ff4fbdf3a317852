#include "ekaci/sdk/Error.h"

#include <string>

namespace ekaci::sdk {

Error& Error::withContext(std::string_view context) {
  std::string prefixed;
  prefixed.reserve(context.size() + 2 + message_.size());
  prefixed.append(context).append(": ").append(message_);
  message_ = std::move(prefixed);
  return *this;
}

std::string Error::describe() const {
  return "E" + std::to_string(static_cast<int>(code_)) + " " + errorCodeName(code_) + ": " + message_;
}

}  // namespace ekaci::sdk
