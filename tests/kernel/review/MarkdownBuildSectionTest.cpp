// The build section of a review's Markdown, and its budget.
#include "kernel/review/MarkdownBuildSection.h"

#include <gtest/gtest.h>

#include "kernel/review/JsonRenderer.h"

namespace ekaci::review {
namespace {

JobBuildResults failing(int count) {
  JobBuildResults results;
  results.job = "packages";
  for (int i = 0; i < count; ++i) {
    review::JobVerdict v;
    v.attr = "pkg" + std::to_string(i);
    v.verdict = review::Verdict::NewlyFailing;
    v.headState = "failure";
    v.baseKnown = true;
    v.baseState = "success";
    results.verdicts.push_back(v);
    if (results.failureLogs.size() < 10) {
      results.failureLogs.push_back({v.attr, "/nix/store/" + std::string(32, 'a') + "-" + v.attr + ".drv", "error\n"});
    }
  }
  results.newlyFailing = static_cast<std::size_t>(count);
  return results;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A change that breaks hundreds of packages still gives a report that fits in a comment: the
// Markdown lists the first ones and quotes a few logs; the JSON has everything.
TEST(MarkdownBuildSectionTest, LongListsAndLogsAreBounded) {
  const auto results = failing(60);
  const auto md = MarkdownBuildSection::render({results}, 0);
  EXPECT_NE(md.find("- `pkg49` (failure, base success)"), std::string::npos) << md;
  EXPECT_EQ(md.find("- `pkg50` "), std::string::npos) << md;
  EXPECT_NE(md.find("- … and 10 more (all of them in the JSON report)"), std::string::npos) << md;
  EXPECT_EQ(occurrences(md, "<details>"), MarkdownBuildSection::kLogs);
  ReviewReport report;
  report.builds = std::vector<JobBuildResults>{results};
  const auto json = JsonRenderer::render(report);
  EXPECT_NE(json.find("pkg59"), std::string::npos);
  EXPECT_EQ(occurrences(json, "log_tail"), 10u);
}

// Higher truncation levels list fewer jobs and quote fewer logs; the last keeps only counts.
TEST(MarkdownBuildSectionTest, HigherLevelsAreShorter) {
  const auto results = failing(60);
  const auto level2 = MarkdownBuildSection::render({results}, 2);
  EXPECT_NE(level2.find("- `pkg19` "), std::string::npos) << level2;
  EXPECT_EQ(level2.find("- `pkg20` "), std::string::npos) << level2;
  EXPECT_EQ(occurrences(level2, "<details>"), 1u);
  const auto level4 = MarkdownBuildSection::render({results}, 4);
  EXPECT_NE(level4.find("| `packages` | 60 | 0 | 0 | 0 | 0 |"), std::string::npos) << level4;
  EXPECT_EQ(level4.find("- `pkg0` "), std::string::npos) << level4;
  EXPECT_EQ(occurrences(level4, "<details>"), 0u);
  EXPECT_LT(level4.size(), level2.size());
}

// A log is the builder's output: it cannot open HTML or Markdown of its own.
TEST(MarkdownBuildSectionTest, LogsAreEscaped) {
  auto results = failing(1);
  results.failureLogs[0].lines = "</pre></details><img src=x onerror=alert(1)>\n";
  const auto md = MarkdownBuildSection::render({results}, 0);
  EXPECT_EQ(md.find("<img"), std::string::npos) << md;
  EXPECT_NE(md.find("&lt;/pre&gt;&lt;/details&gt;&lt;img"), std::string::npos) << md;
}

}  // namespace
}  // namespace ekaci::review
