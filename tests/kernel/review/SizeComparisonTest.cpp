// Size comparison against real store paths (built here) and recorded history.
#include "kernel/review/SizeComparison.h"

#include <gtest/gtest.h>

#include "kernel/review/MarkdownSizeSection.h"
#include "kernel/review/SizeFormat.h"
#include "tests/support/SchedulerHarness.h"

namespace ekaci::review {
namespace {

const std::string kGone = "/nix/store/00000000000000000000000000000000-legacy-1";

class SizeComparisonTest : public ::testing::Test, protected testsupport::SchedulerHarness {
 protected:
  // Builds `attr` of `file`; returns {drv path, output path}.
  std::pair<std::string, std::string> build(const std::filesystem::path& file, const std::string& attr) {
    std::string why;
    auto drv = firstLineOf({"nix-instantiate", file.string(), "-A", attr}, &why);
    EXPECT_TRUE(drv) << why;
    auto out = firstLineOf({"nix-store", "--realise", drv.value_or(""), "--option", "substituters", ""}, &why);
    EXPECT_TRUE(out) << why;
    return {drv.value_or(""), out.value_or("")};
  }

  void remember(const std::string& drvPath, const std::string& outPath) {
    storage::DrvRecord row;
    row.drvPath = drvPath;
    row.system = "x86_64-linux";
    row.outputs = {{"out", outPath}};
    ASSERT_TRUE(storage->upsertDrvs({row}));
  }

  static PackageChange change(const std::string& attr, ChangeClass kind, const std::string& head,
                              const std::string& base = "") {
    PackageChange c;
    c.attr = attr;
    c.change = kind;
    c.rebuild = kind != ChangeClass::Unchanged;
    c.drvPath = head;
    c.baseDrvPath = base;
    return c;
  }
};

TEST_F(SizeComparisonTest, MeasuresHeadAndBaseAndFallsBackToHistory) {
  const auto baseJobset = newJobset("base"), headJobset = newJobset("head");
  const auto file = nixSet(
      "set.nix",
      "  big = mk \"big\" [ ] \"i=0; while [ $i -lt 3000 ]; do echo 0123456789abcdef; i=$((i+1)); done > $out\";\n"
      "  app1 = mk \"app-1\" [ ] \"echo app 1 > $out\";\n"
      "  app2 = mk \"app-2\" [ ] \"echo app 2 uses ${big} > $out\";\n"
      "  fresh = mk \"fresh\" [ ] \"echo new > $out\";\n"
      "  legacy2 = mk \"legacy-2\" [ ] \"echo legacy 2 > $out\";\n"
      "  broken = mk \"broken\" [ ] \"exit 1\";\n");
  const auto [app1Drv, app1Out] = build(file, "app1");
  const auto [app2Drv, app2Out] = build(file, "app2");
  const auto [freshDrv, freshOut] = build(file, "fresh");
  const auto [legacy2Drv, legacy2Out] = build(file, "legacy2");
  const std::string brokenDrv = firstLineOf({"nix-instantiate", file.string(), "-A", "broken"}).value_or("");
  const std::string brokenOut = firstLineOf({"nix-store", "--query", "--outputs", brokenDrv}).value_or("");
  ASSERT_FALSE(brokenOut.empty());
  const std::string legacy1Drv = "/nix/store/00000000000000000000000000000000-legacy-1.drv";
  for (const auto& [drv, out] : std::vector<std::pair<std::string, std::string>>{{app1Drv, app1Out},
                                                                                 {app2Drv, app2Out},
                                                                                 {freshDrv, freshOut},
                                                                                 {legacy2Drv, legacy2Out},
                                                                                 {brokenDrv, brokenOut},
                                                                                 {legacy1Drv, kGone}}) {
    remember(drv, out);
  }
  // An earlier review measured legacy 1 before it was garbage-collected.
  const auto legacy1Id = storage->findDrv(legacy1Drv).value()->id;
  ASSERT_TRUE(storage->recordOutputSizes(baseJobset, {{legacy1Id, "out", kGone, 100, 200, 1}}));

  ReviewReport report;
  JobReview job;
  job.job = "packages";
  job.sizeLimitPercent = 50;
  job.baseJobsetId = baseJobset;
  job.headJobsetId = headJobset;
  job.changes = {
      change("app", ChangeClass::VersionBump, app2Drv, app1Drv), change("fresh", ChangeClass::Added, freshDrv),
      change("legacy", ChangeClass::VersionBump, legacy2Drv, legacy1Drv),
      change("broken", ChangeClass::Added, brokenDrv), change("meta-only", ChangeClass::VersionBump, app1Drv, app1Drv)};
  job.changes.back().rebuild = false;  // same outputs: nothing to measure
  report.jobs = {job};

  nix::StorePathInfo info(processes, config.nix);
  SizeComparison comparison(info, *storage, 1000);
  auto measured = comparison.measure(report);
  ASSERT_TRUE(measured) << measured.error().describe();
  ASSERT_EQ(measured->size(), 1u);
  const auto& sizes = measured->front();
  EXPECT_EQ(sizes.notInStore, 1u) << "broken never built";
  ASSERT_EQ(sizes.outputs.size(), 3u);
  // Largest closure change first: app grew by big's whole NAR.
  const auto& app = sizes.outputs[0];
  EXPECT_EQ(app.attr, "app");
  ASSERT_TRUE(app.base.has_value());
  EXPECT_FALSE(app.baseFromHistory);
  EXPECT_GT(app.head.closureSize - app.base->closureSize, 3000 * 17);
  EXPECT_GT(*app.closurePercent(), 50.0);
  const auto& legacy = sizes.outputs[1].attr == "legacy" ? sizes.outputs[1] : sizes.outputs[2];
  const auto& fresh = sizes.outputs[1].attr == "fresh" ? sizes.outputs[1] : sizes.outputs[2];
  ASSERT_EQ(legacy.attr, "legacy");
  ASSERT_TRUE(legacy.base.has_value());
  EXPECT_TRUE(legacy.baseFromHistory);
  EXPECT_EQ(legacy.base->closureSize, 200);
  EXPECT_EQ(fresh.attr, "fresh");
  EXPECT_FALSE(fresh.base.has_value());
  EXPECT_FALSE(fresh.closurePercent().has_value());
  ASSERT_EQ(sizes.overLimit().size(), 1u) << "legacy shrank from its recorded 200 bytes";
  EXPECT_EQ(sizes.overLimit()[0]->attr, "app");

  // Head sizes are recorded with the head commit, base sizes with the base commit.
  auto recorded = storage->outputSizesOf({app2Out, app1Out, freshOut, brokenOut});
  ASSERT_TRUE(recorded);
  ASSERT_EQ(recorded->size(), 3u);
  EXPECT_EQ((*recorded)[0].narSize, app.head.narSize);
  EXPECT_EQ((*recorded)[0].recordedAt, 1000);

  const auto md = MarkdownSizeSection::render(*measured, 0);
  EXPECT_NE(md.find("## Closure sizes"), std::string::npos) << md;
  EXPECT_NE(md.find("3 outputs measured, 1 not built"), std::string::npos) << md;
  EXPECT_NE(md.find("| `fresh` | `out` |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `fresh` | `out` | " + SizeFormat::humanBytes(fresh.head.closureSize) + " | new |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("(base from an earlier build)"), std::string::npos) << md;
  EXPECT_NE(md.find("**Size warnings** in `packages` (closure growth above 50 %):\n\n- `app` (`out`): +"),
            std::string::npos)
      << md;
  auto warnings = SizeFormat::warnings(*measured);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("the closure of app (out) grew +"), std::string::npos) << warnings[0];
}

}  // namespace
}  // namespace ekaci::review
