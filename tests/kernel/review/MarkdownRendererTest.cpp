#include "kernel/review/MarkdownRenderer.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/UntrustedText.h"
#include "kernel/review/JsonRenderer.h"
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
  job.evalErrors.push_back({"broken", EvalErrorChange::New, "error: attribute 'doesNotExist' missing\n  at default.nix:3"});
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
  for (int level = 0; level <= 4; ++level) sizes.push_back(MarkdownRenderer::renderAtLevel(report, options, level).size());
  for (int level = 1; level <= 4; ++level) EXPECT_LT(sizes[level], sizes[level - 1]) << "level " << level;
  for (int level = 0; level <= 4; ++level) {
    options.softLimit = sizes[level];
    auto output = MarkdownRenderer::render(report, options);
    EXPECT_EQ(output.truncationLevel, level);
    EXPECT_FALSE(output.hardCapped);
    const std::string problem =
        testsupport::compareWithGolden("tests/data/review/markdown-level-" + std::to_string(level) + ".md", output.markdown);
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

TEST(MarkdownRendererTest, AppendedSectionsAreCappedWithoutSplittingACharacter) {
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
  EXPECT_EQ(MarkdownRenderer::code("a|b`c"), "`a\\|b'c`");
}

}  // namespace ekaci::review

namespace ekaci::review {
namespace {

// A pull request names a package and writes an error message with a right-to-left override
// and invalid bytes: the comment shows the control as text and stays valid UTF-8, and the
// JSON report too.
TEST(MarkdownRendererTest, InvisibleControlsAndInvalidBytesFromAPullRequestAreNeutralised) {
  ReviewReport report = sampleReport();
  report.jobs[0].evalErrors.push_back({"evil\xE2\x80\xAE" "gpj.exe", EvalErrorChange::New, "error: bad \xFF\xFE byte"});
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
