#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kernel/review/SizeResults.h"

namespace ekaci::review {

// The "## Closure sizes" section of a review in Markdown: per job, how many outputs were
// measured, a table of the largest changes and the outputs over the job's size_check limit.
// Fewer rows at higher truncation levels; counts and warnings only at the last.
class MarkdownSizeSection {
 public:
  static constexpr std::size_t kRows = 20;  // table rows per job at truncation levels 0-1

  static std::string render(const std::vector<JobSizes>& jobs, int level);
  // The section when builds ran but sizes could not be measured.
  static std::string unavailable(const std::string& why);
};

}  // namespace ekaci::review
