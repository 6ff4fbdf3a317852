// ReviewBuilder with the real scheduler and real Nix builds.
#include "kernel/review/ReviewBuilder.h"

#include <gtest/gtest.h>

#include <random>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "kernel/scheduler/SchedulerSettings.h"
#include "kernel/services/PosixProcessRunner.h"
#include "kernel/services/SystemClock.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::review {
namespace {

using namespace std::chrono_literals;

class ReviewBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage = std::move(storage::SqliteStorage::open(dir.path() / "db.sqlite")).value();
    config.logsDir = dir.path() / "logs";
    config.nixOptions = {{"substituters", ""}};
    repositoryId = storage->upsertRepository({0, "local", "tests", "builder", "", "main"}).value();
  }

  std::int64_t jobset(const std::string& sha) {
    return storage->createJobset({0, repositoryId, storage->upsertCommit(repositoryId, sha).value(), "packages", "{}",
                                  storage::EvalState::Succeeded, "", 0, 0})
        .value();
  }

  std::string instantiate(const std::filesystem::path& file, const std::string& attr) {
    sdk::ProcessSpec spec;
    spec.argv = {"nix-instantiate", file.string(), "-A", attr};
    spec.inheritEnvironment = true;
    auto result = processes.run(spec);
    EXPECT_TRUE(result && result->succeeded()) << (result ? result->stderrText : result.error().describe());
    return result ? result->stdoutText.substr(0, result->stdoutText.find('\n')) : "";
  }

  testsupport::TempDir dir;
  std::unique_ptr<storage::SqliteStorage> storage;
  services::PosixProcessRunner processes{std::chrono::milliseconds(500)};
  services::SystemClock clock;
  sdk::testing::InMemoryMetrics metrics;
  sdk::testing::CapturingLogger logger;
  scheduler::SchedulerConfig config;
  std::int64_t repositoryId = 0;
};

// A job that fails because its dependency fails quotes the dependency's log, not its own
// (it has none); a job that fails itself quotes its own.
TEST_F(ReviewBuilderTest, NewlyFailingJobsQuoteTheLogOfTheBuildThatFailed) {
  std::random_device random;
  const std::string nonce = std::to_string(random());
  const auto file = dir.write(
      "set.nix",
      "let mk = name: deps: script: derivation { name = name + \"-" + nonce +
          "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; inherit deps; args = [ \"-c\" script ]; };\n"
          "in rec {\n"
          "  lib = mk \"lib\" [ ] \"echo compiling lib; echo 'lib.c:3: error: expected ;' >&2; exit 1\";\n"
          "  app = mk \"app\" [ lib ] \"echo app > $out\";\n"
          "  tool = mk \"tool\" [ ] \"printf 'tool: \\\\033[31mred\\\\033[0m\\\\tfailed\\\\n'; exit 2\";\n"
          "}\n",
      0644);
  const auto app = instantiate(file, "app");
  const auto lib = instantiate(file, "lib");
  const auto tool = instantiate(file, "tool");
  scheduler::Scheduler scheduler({*storage, processes, clock, metrics, logger}, config,
                                 scheduler::SchedulerSettings::hostSystem(processes));
  ASSERT_TRUE(scheduler.start());
  ReviewReport report;
  JobReview job;
  job.job = "packages";
  job.headJobsetId = jobset("head");
  for (const auto& [attr, drv] : std::vector<std::pair<std::string, std::string>>{{"app", app}, {"tool", tool}}) {
    PackageChange change;
    change.attr = attr;
    change.change = ChangeClass::Added;
    change.drvPath = drv;
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
  EXPECT_EQ(appLog.failedDrv, lib) << "the dependency that failed";
  EXPECT_NE(appLog.lines.find("lib.c:3: error: expected ;"), std::string::npos) << appLog.lines;
  EXPECT_EQ(toolLog.failedDrv, tool);
  EXPECT_NE(toolLog.lines.find("tool: red failed"), std::string::npos) << "colours stripped, tab as a space:\n"
                                                                       << toolLog.lines;

  const auto md = ReviewBuilder::markdown(*built);
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

}  // namespace
}  // namespace ekaci::review
