#include "ekaci/sdk/Secret.h"

#include <ostream>

namespace ekaci::sdk {

Secret::Secret(std::string value) : value_(std::move(value)) {}

Secret::Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

Secret& Secret::operator=(Secret&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

Secret::~Secret() { wipe(); }

void Secret::wipe() noexcept {
  // Write through a volatile pointer so the stores are not optimised away, over the whole
  // capacity (short-string buffer included).
  volatile char* p = value_.data();
  for (std::size_t i = 0; i < value_.capacity(); ++i) p[i] = 0;
  value_.clear();
}

bool Secret::equals(std::string_view candidate) const noexcept {
  unsigned char diff = value_.size() == candidate.size() ? 0 : 1;
  const std::size_t n = value_.size() < candidate.size() ? value_.size() : candidate.size();
  for (std::size_t i = 0; i < n; ++i) {
    diff |= static_cast<unsigned char>(value_[i] ^ candidate[i]);
  }
  return diff == 0;
}

std::ostream& operator<<(std::ostream& out, const Secret& /*secret*/) { return out << Secret::kRedacted; }

}  // namespace ekaci::sdk
