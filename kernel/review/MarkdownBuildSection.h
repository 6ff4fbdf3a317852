#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "kernel/review/BuildResults.h"

namespace ekaci::review {

// The "## Builds" section of a review in Markdown: a table of counts per job, then the jobs
// of each verdict and the ends of the logs behind new failures. Shorter at higher truncation
// levels (the JSON has everything), so the whole review stays within its budget.
class MarkdownBuildSection {
 public:
  // Jobs listed per verdict and job, and logs quoted per job, at truncation levels 0-1.
  static constexpr std::size_t kListed = 50;
  static constexpr std::size_t kLogs = 3;

  static std::string render(const std::vector<JobBuildResults>& results, int level);
};

}  // namespace ekaci::review
