#include "kernel/review/MarkdownRenderer.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/UntrustedText.h"
#include "kernel/review/JsonRenderer.h"
#include "kernel/review/MarkdownText.h"
#include "tests/support/Golden.h"

namespace ekaci::review {
namespace {

ReviewReport sampleReport() {
  ReviewReport report;
  report.repository = "/srv/demo";
  report.baseSha = "1111111111111111111111111111111111111111";
  report.headSha = "2222222222222222222222222222222222222222";
  report.headSubject = "hello: 2.12 -> 2.13";
  JobReview job;
  job.job = "packages";
  job.baseAttributes = 40;
  job.headAttributes = 41;
  auto add = [&](const std::string& attr, ChangeClass change, const std::string& oldV, const std::string& newV) {
    PackageChange c;
    c.attr = attr;
    c.change = change;
    c.rebuild = change != ChangeClass::Unchanged && change != ChangeClass::Removed;
    c.oldVersion = oldV;
    c.newVersion = newV;
    c.system = "x86_64-linux";
    c.drvPath = "/nix/store/x-" + attr + ".drv";
    job.changes.push_back(c);
    return &job.changes.back();
  };
  add("hello", ChangeClass::VersionBump, "2.12", "2.13")->dependentJobs = 7;
  auto* lic = add("licensed", ChangeClass::Unchanged, "0.4", "0.4");
  lic->licenseChanged = true;
  lic->oldLicenses = {"MIT"};
  lic->newLicenses = {"Apache-2.0"};
  auto* team = add("teamed", ChangeClass::Unchanged, "1", "1");
  team->maintainersChanged = true;
  team->oldMaintainers = {"alice"};
  team->newMaintainers = {"alice", "bob", "carol"};
  add("fresh", ChangeClass::Added, "", "1.0");
  add("gone", ChangeClass::Removed, "0.1", "");
  for (int i = 0; i < 12; ++i) add("dependent-" + std::to_string(i), ChangeClass::RebuildOnly, "1", "1");
  job.counts = {1, 1, 1, 0, 12, 20, 1, 1, 1, 0, 0};
  job.evalErrors.push_back(
      {"broken", EvalErrorChange::New, "error: attribute 'doesNotExist' missing\n  at default.nix:3"});
  job.rebuilds.push_back({"x86_64-linux", 14, "11-100"});
  job.topBlastRadius = {"hello", "fresh"};
  report.jobs.push_back(job);
  return report;
}

}  // namespace

// Each truncation level, in the manual's order, as a golden file. The soft limit is set to
// the size of the level under test, so the renderer must stop exactly there.
TEST(MarkdownRendererTest, TruncationLevelsInTheDocumentedOrder) {
  const ReviewReport report = sampleReport();
  MarkdownRenderer::Options options;
  std::vector<std::size_t> sizes;
  for (int level = 0; level <= 4; ++level)
    sizes.push_back(MarkdownRenderer::renderAtLevel(report, options, level).size());
  for (int level = 1; level <= 4; ++level) EXPECT_LT(sizes[level], sizes[level - 1]) << "level " << level;
  for (int level = 0; level <= 4; ++level) {
    options.softLimit = sizes[level];
    auto output = MarkdownRenderer::render(report, options);
    EXPECT_EQ(output.truncationLevel, level);
    EXPECT_FALSE(output.hardCapped);
    const std::string problem = testsupport::compareWithGolden(
        "tests/data/review/markdown-level-" + std::to_string(level) + ".md", output.markdown);
    EXPECT_TRUE(problem.empty()) << problem;
  }
  const std::string level0 = MarkdownRenderer::renderAtLevel(report, options, 0);
  const std::string level1 = MarkdownRenderer::renderAtLevel(report, options, 1);
  const std::string level3 = MarkdownRenderer::renderAtLevel(report, options, 3);
  const std::string level4 = MarkdownRenderer::renderAtLevel(report, options, 4);
  EXPECT_NE(level0.find("`alice, bob, carol`"), std::string::npos) << "maintainers shown at level 0";
  EXPECT_NE(level0.find("| license | maintainers |"), std::string::npos);
  EXPECT_EQ(level1.find("| license | maintainers |"), std::string::npos) << "level 1 drops the maintainers column";
  EXPECT_NE(level1.find("| version | license |"), std::string::npos);
  EXPECT_NE(level1.find("`Apache-2.0`"), std::string::npos);
  EXPECT_EQ(level3.find("Rebuild only (12)"), std::string::npos) << "level 3 drops the rebuild-only line";
  EXPECT_EQ(level4.find("| attribute |"), std::string::npos) << "level 4 collapses to counts";
  EXPECT_NE(level4.find("1 version bump"), std::string::npos);
}

JobBuildResults failingBuilds(std::size_t count) {
  JobBuildResults results;
  results.job = "packages";
  for (std::size_t i = 0; i < count; ++i) {
    review::JobVerdict v;
    v.attr = "pkg" + std::to_string(i) + std::string(200, 'x');
    v.verdict = review::Verdict::NewlyFailing;
    v.headState = "failure";
    results.verdicts.push_back(v);
    if (i < 10) results.failureLogs.push_back({v.attr, "/nix/store/aaaa-" + v.attr + ".drv", std::string(20000, 'e')});
  }
  results.newlyFailing = count;
  results.state = storage::BuildJobsetState::Failed;
  return results;
}

// The verdict speaks of builds once the review built.
TEST(MarkdownRendererTest, TheVerdictCountsNewBuildFailures) {
  ReviewReport report;  // no job breaks evaluation
  report.repository = "/srv/demo";
  EXPECT_NE(MarkdownRenderer::render(report, {}).markdown.find("**Verdict: ✅ evaluation is clean.**"),
            std::string::npos);
  report.builds = std::vector<JobBuildResults>{JobBuildResults{}};
  EXPECT_NE(MarkdownRenderer::render(report, {})
                .markdown.find("**Verdict: ✅ evaluation is clean and nothing newly fails to build.**"),
            std::string::npos);
  report.builds = std::vector<JobBuildResults>{failingBuilds(2)};
  const auto md = MarkdownRenderer::render(report, {}).markdown;
  EXPECT_NE(md.find("**Verdict: ❌ 2 jobs newly fail to build.**"), std::string::npos) << md;
  EXPECT_NE(md.find("## Builds"), std::string::npos);
  report.builds->front().newlyFailing = 0;
  report.builds->front().unfinished = 1;
  EXPECT_NE(MarkdownRenderer::render(report, {}).markdown.find("**Verdict: ❌ some builds did not finish.**"),
            std::string::npos);
}

// Builds and sizes are part of the one budget: a huge build section shortens the whole report
// (never appended after it), and what is left still says how many jobs fail.
TEST(MarkdownRendererTest, BuildsAndSizesShareTheBudget) {
  ReviewReport report = sampleReport();
  report.builds = std::vector<JobBuildResults>{failingBuilds(400)};
  report.sizesUnavailable = "nix path-info failed";
  const auto output = MarkdownRenderer::render(report, {});
  EXPECT_GE(output.truncationLevel, 2) << "the build section alone is over the soft limit at level 0";
  EXPECT_FALSE(output.hardCapped);
  EXPECT_LE(output.markdown.size(), 60000u);
  EXPECT_NE(output.markdown.find("| `packages` | 400 |"), std::string::npos);
  EXPECT_NE(output.markdown.find("Not measured: nix path-info failed"), std::string::npos) << "the last section stays";
}

TEST(MarkdownRendererTest, HardCapWithFooter) {
  MarkdownRenderer::Options options;
  options.softLimit = 100;
  options.hardLimit = 400;
  auto output = MarkdownRenderer::render(sampleReport(), options);
  EXPECT_TRUE(output.hardCapped);
  EXPECT_EQ(output.truncationLevel, 4);
  EXPECT_LE(output.markdown.size(), 400u);
  EXPECT_TRUE(output.markdown.ends_with("_…truncated by sender safety net_\n"));
}

TEST(MarkdownRendererTest, TheHardCapNeverSplitsACharacter) {
  std::string short_text = "## eka-ci review\n";
  EXPECT_FALSE(MarkdownRenderer::hardCap(short_text));
  EXPECT_EQ(short_text, "## eka-ci review\n");
  std::string long_text;
  for (int i = 0; i < 30000; ++i) long_text += "\xc3\xa9";  // 60,000 bytes of "é"
  long_text += std::string(10000, 'x');
  std::string capped = long_text;
  EXPECT_TRUE(MarkdownRenderer::hardCap(capped));
  EXPECT_LE(capped.size(), 65535u);
  EXPECT_TRUE(capped.ends_with("_…truncated by sender safety net_\n"));
  // A limit whose cut would fall between the two bytes of an "é" keeps the character out.
  const std::string footer = "\n\n_…truncated by sender safety net_\n";
  std::string body = long_text.substr(0, 1000);
  EXPECT_TRUE(MarkdownRenderer::hardCap(body, footer.size() + 51));
  EXPECT_EQ(body, long_text.substr(0, 50) + footer);
}

TEST(MarkdownRendererTest, TheDefaultBudgetIsTheManuals) {
  MarkdownRenderer::Options options;
  EXPECT_EQ(options.softLimit, 60000u);
  EXPECT_EQ(options.hardLimit, 65535u);
  ReviewReport big = sampleReport();
  for (int i = 0; i < 3000; ++i) {
    PackageChange c;
    c.attr = "package-number-" + std::to_string(i);
    c.change = ChangeClass::Added;
    c.newVersion = "1.0";
    big.jobs[0].changes.push_back(c);
  }
  options.maxPackagesListed = 100000;
  auto output = MarkdownRenderer::render(big, options);
  EXPECT_LE(output.markdown.size(), 60000u);
  EXPECT_GT(output.truncationLevel, 0);
}

TEST(MarkdownRendererTest, MaxPackagesListedCollapsesTheTable) {
  MarkdownRenderer::Options options;
  options.maxPackagesListed = 2;
  auto text = MarkdownRenderer::render(sampleReport(), options).markdown;
  EXPECT_EQ(text.find("| attribute |"), std::string::npos);
  EXPECT_NE(text.find("more than max_packages_listed (2)"), std::string::npos);
  options.maxPackagesListed = 100;
  options.includeRebuildOnly = true;
  auto withRebuilds = MarkdownRenderer::render(sampleReport(), options).markdown;
  EXPECT_NE(withRebuilds.find("| `dependent-0` | rebuild |"), std::string::npos);
}

TEST(MarkdownRendererTest, RepositoryContentCannotInjectMarkup) {
  ReviewReport report = sampleReport();
  report.jobs[0].changes[0].attr = "evil|col`code`<script>alert(1)</script>\n# heading";
  report.jobs[0].evalErrors[0].attr = "x`y";
  auto text = MarkdownRenderer::render(report, {}).markdown;
  // The attribute stays inside one code span (where tags are inert): no backtick ends it
  // early, no pipe splits the cell, no newline starts a heading.
  EXPECT_NE(text.find("`evil\\|col'code'<script>alert(1)</script> # heading`"), std::string::npos) << text;
  EXPECT_EQ(text.find("\n# heading"), std::string::npos);
  EXPECT_NE(text.find("`x'y`"), std::string::npos);

  ReviewReport failed = sampleReport();
  failed.jobs[0].headFailure = "error: </pre><img src=x onerror=alert(1)>";
  auto failure = MarkdownRenderer::render(failed, {}).markdown;
  EXPECT_EQ(failure.find("<img"), std::string::npos) << failure;
  EXPECT_NE(failure.find("&lt;/pre&gt;&lt;img"), std::string::npos) << failure;
  EXPECT_EQ(MarkdownText::code("a|b`c"), "`a\\|b'c`");
}

}  // namespace ekaci::review

namespace ekaci::review {
namespace {

// A pull request names a package and writes an error message with a right-to-left override
// and invalid bytes: the comment shows the control as text and stays valid UTF-8, and the
// JSON report too.
TEST(MarkdownRendererTest, InvisibleControlsAndInvalidBytesFromAPullRequestAreNeutralised) {
  ReviewReport report = sampleReport();
  report.jobs[0].evalErrors.push_back(
      {"evil\xE2\x80\xAE"
       "gpj.exe",
       EvalErrorChange::New, "error: bad \xFF\xFE byte"});
  report.headSubject = "subject \xE2\x81\xA6hidden\xE2\x81\xA9";
  const auto markdown = MarkdownRenderer::render(report, MarkdownRenderer::optionsFor(report)).markdown;
  EXPECT_NE(markdown.find("evil<U+202E>gpj.exe"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("<U+2066>hidden<U+2069>"), std::string::npos) << markdown;
  EXPECT_EQ(markdown.find("\xE2\x80\xAE"), std::string::npos);
  EXPECT_EQ(sdk::UntrustedText::validUtf8(markdown), markdown) << "the comment is valid UTF-8";
  const auto json = JsonRenderer::render(report);
  EXPECT_EQ(sdk::UntrustedText::validUtf8(json), json) << "the JSON report is valid UTF-8";
  EXPECT_NE(json.find("bad \xEF\xBF\xBD\xEF\xBF\xBD byte"), std::string::npos) << json;
}

}  // namespace
}  // namespace ekaci::review
