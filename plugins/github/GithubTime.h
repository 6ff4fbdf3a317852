#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace ekaci::github {

// GitHub's timestamps: ISO 8601 in UTC ("2026-12-03T10:15:00Z"), as its API writes them and
// as check runs take them.
class GithubTime {
 public:
  // Accepts "Z" and numeric offsets ("+01:00"); nothing else is a time.
  static std::optional<std::chrono::system_clock::time_point> parse(const std::string& iso);
  static std::string format(std::chrono::system_clock::time_point at);
};

}  // namespace ekaci::github
