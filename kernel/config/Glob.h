#pragma once

#include <string_view>

namespace ekaci::config {

// Glob matching for paths and names: '*' matches within one '/'-separated segment, '**'
// matches across segments (also none: "doc/**" matches "doc/a/b.md"), '?' one character.
// Used for change-set rules, skip_paths and permission patterns ("myorg/*", "release/*").
class Glob {
 public:
  static bool match(std::string_view pattern, std::string_view text);
};

}  // namespace ekaci::config
