#pragma once

#include <Poco/Dynamic/Var.h>

#include <string>

#include "kernel/review/ReviewReport.h"

namespace ekaci::review {

// The complete review as JSON (schema "ekaci.review/1"): every change, error and count,
// without the Markdown budget. Stable key names; arrays are sorted.
class JsonRenderer {
 public:
  static std::string render(const ReviewReport& report);
  // `reportJson` (render's output) with `key` set to `value`, formatted the same way.
  static std::string withMember(const std::string& reportJson, const std::string& key, const Poco::Dynamic::Var& value);
};

}  // namespace ekaci::review
