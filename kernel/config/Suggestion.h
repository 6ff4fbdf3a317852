#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ekaci::config {

// "Did you mean ...?" for misspelt keys and type names.
class Suggestion {
 public:
  // Edit distance (insertions, deletions, substitutions, adjacent swaps), ignoring case and
  // treating '-' and '_' as equal.
  static std::size_t distance(std::string_view a, std::string_view b);
  // The closest candidate, if it is close enough to be a plausible typo.
  static std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& candidates);
  // " (did you mean 'x'?)" or "".
  static std::string hint(std::string_view word, const std::vector<std::string>& candidates);
};

}  // namespace ekaci::config
