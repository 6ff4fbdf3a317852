#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

// A secret value: movable but not copyable, wiped from memory when destroyed, and printed
// as "<redacted>" by every formatter. reveal() is the single, greppable place where the
// plain text is used.
class EKACI_SDK_API Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value);
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept;
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  // The plain text. The view is valid while this Secret lives and is not moved from.
  std::string_view reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }
  std::size_t size() const noexcept { return value_.size(); }

  // An explicit copy, for the rare case where two owners are really needed.
  Secret duplicate() const { return Secret(value_); }

  // Compares in time independent of where the first difference is.
  bool equals(std::string_view candidate) const noexcept;

  static constexpr std::string_view kRedacted = "<redacted>";

 private:
  void wipe() noexcept;
  std::string value_;
};

EKACI_SDK_API std::ostream& operator<<(std::ostream& out, const Secret& secret);

}  // namespace ekaci::sdk
