// ReviewBuilder with the real scheduler and real Nix builds.
#include "kernel/review/ReviewBuilder.h"

#include <gtest/gtest.h>

#include "kernel/scheduler/SchedulerSettings.h"
#include "tests/support/SchedulerHarness.h"

namespace ekaci::review {
namespace {

using namespace std::chrono_literals;

class ReviewBuilderTest : public ::testing::Test, protected testsupport::SchedulerHarness {};

// A job that fails because its dependency fails quotes the dependency's log, not its own
// (it has none); a job that fails itself quotes its own.
TEST_F(ReviewBuilderTest, NewlyFailingJobsQuoteTheLogOfTheBuildThatFailed) {
  const auto file = nixSet("set.nix",
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
  auto built = builder.build(report, ReviewBuilder::Options{false, false}, nullptr, nullptr);
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

  const auto md = ReviewBuilder::markdown(*built);
  const auto& lib = drvs["lib"];
  EXPECT_NE(md.find("<details><summary><code>app</code>: the end of the build log of " +
                    lib.substr(lib.rfind('/') + 1) + "</summary>"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("lib.c:3: error: expected ;"), std::string::npos) << md;
  const auto json = ReviewBuilder::addToJson(R"({"schema":"ekaci.review/1"})", *built);
  EXPECT_NE(json.find(R"("failed_drv": ")" + lib), std::string::npos) << json;
  EXPECT_NE(json.find("lib.c:3: error: expected ;"), std::string::npos) << json;
  scheduler.shutdown(0s);
}

// A change that breaks hundreds of packages still gives a report that fits in a comment: the
// Markdown lists the first ones and quotes a few logs; the JSON has everything.
TEST(ReviewBuilderMarkdownTest, LongListsAndLogsAreBounded) {
  JobBuildResults results;
  results.job = "packages";
  for (int i = 0; i < 60; ++i) {
    scheduler::JobVerdict v;
    v.attr = "pkg" + std::to_string(i);
    v.verdict = scheduler::Verdict::NewlyFailing;
    v.headState = "failure";
    v.baseKnown = true;
    v.baseState = "success";
    results.verdicts.push_back(v);
    if (results.failureLogs.size() < ReviewBuilder::kFailureLogs) {
      results.failureLogs.push_back({v.attr, "/nix/store/" + std::string(32, 'a') + "-" + v.attr + ".drv", "error\n"});
    }
  }
  results.newlyFailing = 60;
  const auto md = ReviewBuilder::markdown({results});
  EXPECT_NE(md.find("- `pkg49` (failure, base success)"), std::string::npos) << md;
  EXPECT_EQ(md.find("- `pkg50` "), std::string::npos) << md;
  EXPECT_NE(md.find("- … and 10 more (all of them in the JSON report)"), std::string::npos) << md;
  std::size_t quoted = 0;
  for (auto at = md.find("<details>"); at != std::string::npos; at = md.find("<details>", at + 1)) ++quoted;
  EXPECT_EQ(quoted, ReviewBuilder::kMarkdownLogs);
  const auto json = ReviewBuilder::addToJson("{}", {results});
  EXPECT_NE(json.find("pkg59"), std::string::npos);
  std::size_t tails = 0;
  for (auto at = json.find("log_tail"); at != std::string::npos; at = json.find("log_tail", at + 1)) ++tails;
  EXPECT_EQ(tails, ReviewBuilder::kFailureLogs);
}

}  // namespace
}  // namespace ekaci::review
