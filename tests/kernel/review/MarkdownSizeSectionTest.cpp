// The size section of a review's Markdown, and its budget.
#include "kernel/review/MarkdownSizeSection.h"

#include <gtest/gtest.h>

#include "kernel/review/SizeFormat.h"
#include "tests/support/SizeSamples.h"

namespace ekaci::review {
namespace {

using testsupport::sampleSizes;

TEST(MarkdownSizeSectionTest, UnchangedOutputsAreCountedAndLongListsCut) {
  auto job = sampleSizes(30, std::nullopt);
  auto md = MarkdownSizeSection::render({job}, 0);
  EXPECT_NE(md.find("30 outputs measured, 1 unchanged."), std::string::npos) << md;
  EXPECT_NE(md.find("… and 9 more outputs"), std::string::npos) << md;
  EXPECT_EQ(md.find("Size warnings"), std::string::npos) << "no limit, no warnings";
  EXPECT_TRUE(SizeFormat::warnings({job}).empty());
  EXPECT_EQ(md.find("`pkg0`"), std::string::npos) << "unchanged rows are not listed";
}

TEST(MarkdownSizeSectionTest, AChangedPackageWithoutABaseIsNotCalledNew) {
  auto job = sampleSizes(1, 10.0);
  job.outputs[0].base.reset();
  const auto md = MarkdownSizeSection::render({job}, 0);
  EXPECT_NE(md.find("| base not built |"), std::string::npos) << md;
  EXPECT_EQ(md.find("| new |"), std::string::npos) << md;
  EXPECT_TRUE(job.overLimit().empty()) << "nothing to compare with";
}

TEST(MarkdownSizeSectionTest, GrowthExactlyAtTheLimitIsNotAWarning) {
  auto job = sampleSizes(2, 1.0);  // pkg1 grows 1.0 %
  EXPECT_TRUE(job.overLimit().empty());
  job.limitPercent = 0.5;
  ASSERT_EQ(job.overLimit().size(), 1u);
  EXPECT_EQ(job.overLimit()[0]->attr, "pkg1");
}

// From level 2 the table is shorter, at level 4 only counts and a bounded list of warnings stay.
TEST(MarkdownSizeSectionTest, HigherLevelsAreShorter) {
  auto job = sampleSizes(40, 0.1);
  const auto level2 = MarkdownSizeSection::render({job}, 2);
  EXPECT_NE(level2.find("… and 29 more outputs"), std::string::npos) << level2;
  const auto level4 = MarkdownSizeSection::render({job}, 4);
  EXPECT_EQ(level4.find("| package |"), std::string::npos) << level4;
  EXPECT_NE(level4.find("40 outputs measured, 1 unchanged."), std::string::npos) << level4;
  EXPECT_NE(level4.find("- … and 29 more"), std::string::npos) << "39 over the limit, 10 listed:\n" << level4;
}

TEST(MarkdownSizeSectionTest, AnUnmeasuredReviewSaysWhyEscaped) {
  const auto md = MarkdownSizeSection::unavailable("nix path-info: <b>boom</b>");
  EXPECT_NE(md.find("Not measured: nix path-info: &lt;b&gt;boom&lt;/b&gt;"), std::string::npos) << md;
}

}  // namespace
}  // namespace ekaci::review
