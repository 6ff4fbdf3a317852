#pragma once

#include <cstddef>
#include <string>

#include "kernel/review/ReviewReport.h"

namespace ekaci::review {

// Renders a review as Markdown for a pull-request comment or check run, within the budget of
// the Eka CI manual: when the text exceeds the 60,000-byte soft limit, drop (1) the
// maintainers column, (2) the license column, (3) the rebuild-only line, (4) the package
// table (counts only), in that order — the build and size sections list fewer jobs and logs
// from level 2 and only counts at level 4 — then cut at the 65,535-byte hard cap with a footer.
// Everything that comes from the repository (attribute names, versions, error messages) is
// escaped, so a pull request cannot inject Markdown or HTML into the report.
class MarkdownRenderer {
 public:
  struct Options {
    std::size_t softLimit = 60000;
    std::size_t hardLimit = 65535;
    std::size_t maxPackagesListed = 100;
    bool includeRebuildOnly = false;
    bool showPackageChanges = true;
    bool showRebuildImpact = true;
  };
  struct Output {
    std::string markdown;
    int truncationLevel = 0;  // 0: complete; 1-3: columns/lines dropped; 4: counts only
    bool hardCapped = false;
  };

  static Output render(const ReviewReport& report, const Options& options);
  // Options from the report's presentation (the repository's configuration).
  static Options optionsFor(const ReviewReport& report);
  static std::string renderAtLevel(const ReviewReport& report, const Options& options, int level);
  // Cuts `markdown` to `hardLimit` bytes (never inside a UTF-8 character) with a footer
  // saying so; true when it had to.
  static bool hardCap(std::string& markdown, std::size_t hardLimit = 65535);
  // The verdict line: evaluation first, then builds when the review built.
  static std::string verdict(const ReviewReport& report);
};

}  // namespace ekaci::review
