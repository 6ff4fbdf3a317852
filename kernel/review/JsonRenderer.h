#pragma once

#include <string>

#include "kernel/review/ReviewReport.h"

namespace ekaci::review {

// The complete review as JSON (schema "ekaci.review/1"): every change, error and count,
// without the Markdown budget, and — when the review built — every build verdict with its
// log tail and every measured output. Stable key names; arrays are sorted.
class JsonRenderer {
 public:
  static std::string render(const ReviewReport& report);
};

}  // namespace ekaci::review
