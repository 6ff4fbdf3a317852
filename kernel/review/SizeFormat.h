#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernel/review/SizeResults.h"

namespace ekaci::review {

// How sizes read in every rendering of a review: bytes in binary units, growth as a signed
// percentage, and the one-line warnings a terminal shows for outputs over their job's limit.
class SizeFormat {
 public:
  // 1536 -> "1.5 KiB".
  static std::string humanBytes(std::int64_t bytes);
  // 687.5 -> "+687.5 %".
  static std::string percent(double value);
  // A size_check limit: 50 -> "50 %", 0.5 -> "0.5 %".
  static std::string limit(double value);
  // One line per output over its job's limit.
  static std::vector<std::string> warnings(const std::vector<JobSizes>& jobs);
};

}  // namespace ekaci::review
