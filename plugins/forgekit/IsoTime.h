#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace ekaci::forgekit {

// ISO 8601 times as the forges write them: "2024-05-01T12:00:00Z", with fractional seconds
// ("…:00.123Z") or an offset ("…:00+02:00", GitLab's "…:00.000+02:00").
class IsoTime {
 public:
  static std::optional<std::chrono::system_clock::time_point> parse(const std::string& iso);
  static std::string format(std::chrono::system_clock::time_point at);  // UTC, "Z"
};

}  // namespace ekaci::forgekit
