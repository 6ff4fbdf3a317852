#include "ekaci/sdk/Credentials.h"

namespace ekaci::sdk {

Credentials::~Credentials() = default;

void Credentials::set(std::string name, Secret value) {
  for (auto& entry : entries_) {
    if (entry.name == name) {
      entry.value = std::move(value);
      return;
    }
  }
  entries_.push_back(Entry{std::move(name), std::move(value)});
}

const Secret* Credentials::find(std::string_view name) const noexcept {
  for (const auto& entry : entries_) {
    if (entry.name == name) return &entry.value;
  }
  return nullptr;
}

std::vector<std::string> Credentials::names() const {
  std::vector<std::string> out;
  out.reserve(entries_.size());
  for (const auto& entry : entries_) out.push_back(entry.name);
  return out;
}

}  // namespace ekaci::sdk
