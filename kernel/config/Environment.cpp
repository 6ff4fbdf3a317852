#include "kernel/config/Environment.h"

#include <unistd.h>

namespace ekaci::config {

Environment Environment::fromProcess() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text(*entry);
    auto eq = text.find('=');
    if (eq == std::string::npos) continue;
    variables.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return Environment(std::move(variables));
}

std::optional<std::string> Environment::get(const std::string& name) const {
  auto it = variables_.find(name);
  if (it == variables_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Environment::nonEmpty(const std::string& name) const {
  auto value = get(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

}  // namespace ekaci::config
