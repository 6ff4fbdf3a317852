// ReviewBuilder with the real scheduler and real Nix builds.
#include "kernel/review/ReviewBuilder.h"

#include <gtest/gtest.h>

#include "kernel/review/JsonRenderer.h"
#include "kernel/review/MarkdownBuildSection.h"
#include "kernel/scheduler/SchedulerSettings.h"
#include "tests/support/SchedulerHarness.h"

namespace ekaci::review {
namespace {

using namespace std::chrono_literals;

class ReviewBuilderTest : public ::testing::Test, protected testsupport::SchedulerHarness {};

// A job that fails because its dependency fails quotes the dependency's log, not its own
// (it has none); a job that fails itself quotes its own.
TEST_F(ReviewBuilderTest, NewlyFailingJobsQuoteTheLogOfTheBuildThatFailed) {
  const auto file =
      nixSet("set.nix",
             "  lib = mk \"lib\" [ ] \"echo compiling lib; echo 'lib.c:3: error: expected ;' >&2; exit 1\";\n"
             "  app = mk \"app\" [ lib ] \"echo app > $out\";\n"
             "  tool = mk \"tool\" [ ] \"printf 'tool: \\\\033[31mred\\\\033[0m\\\\tfailed\\\\n'; exit 2\";\n");
  std::map<std::string, std::string> drvs;
  for (const std::string attr : {"app", "lib", "tool"}) {
    std::string why;
    auto drv = firstLineOf({"nix-instantiate", file.string(), "-A", attr}, &why);
    ASSERT_TRUE(drv) << why;
    drvs[attr] = *drv;
  }
  scheduler::Scheduler scheduler(services(), config, scheduler::SchedulerSettings::hostSystem(processes));
  ASSERT_TRUE(scheduler.start());
  ReviewReport report;
  JobReview job;
  job.job = "packages";
  job.headJobsetId = newJobset("head");
  for (const std::string attr : {"app", "tool"}) {
    PackageChange change;
    change.attr = attr;
    change.change = ChangeClass::Added;
    change.drvPath = drvs[attr];
    job.changes.push_back(change);
  }
  report.jobs = {job};
  ReviewBuilder builder(scheduler, *storage);
  ReviewBuilder::Options options;
  options.buildBase = false;
  auto built = builder.build(report, options, nullptr, nullptr);
  ASSERT_TRUE(built) << built.error().describe();
  ASSERT_EQ(built->size(), 1u);
  const auto& results = built->front();
  EXPECT_EQ(results.newlyFailing, 2u);
  ASSERT_EQ(results.failureLogs.size(), 2u);
  const auto& appLog = results.failureLogs[0].attr == "app" ? results.failureLogs[0] : results.failureLogs[1];
  const auto& toolLog = results.failureLogs[0].attr == "tool" ? results.failureLogs[0] : results.failureLogs[1];
  EXPECT_EQ(appLog.failedDrv, drvs["lib"]) << "the dependency that failed";
  EXPECT_NE(appLog.lines.find("lib.c:3: error: expected ;"), std::string::npos) << appLog.lines;
  EXPECT_EQ(toolLog.failedDrv, drvs["tool"]);
  EXPECT_NE(toolLog.lines.find("tool: red failed"), std::string::npos) << "colours stripped, tab as a space:\n"
                                                                       << toolLog.lines;

  const auto md = MarkdownBuildSection::render(*built, 0);
  const auto& lib = drvs["lib"];
  EXPECT_NE(md.find("<details><summary><code>app</code>: the end of the build log of " +
                    lib.substr(lib.rfind('/') + 1) + "</summary>"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("lib.c:3: error: expected ;"), std::string::npos) << md;
  ReviewReport reviewed = report;
  reviewed.builds = *built;
  const auto json = JsonRenderer::render(reviewed);
  EXPECT_NE(json.find(R"("failed_drv": ")" + lib), std::string::npos) << json;
  EXPECT_NE(json.find("lib.c:3: error: expected ;"), std::string::npos) << json;
  scheduler.shutdown(0s);
}

}  // namespace
}  // namespace ekaci::review
