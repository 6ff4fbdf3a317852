#pragma once

#include <string>

namespace ekaci::plugins::credentials {

// An environment variable name: letters, digits and '_', not starting with a digit.
class VariableName {
 public:
  static bool valid(const std::string& name);
};

}  // namespace ekaci::plugins::credentials
