// The review service on the demo repository (examples/demo), with real git and real Nix.
#include "kernel/review/ReviewService.h"

#include <gtest/gtest.h>

#include <sstream>

#include "kernel/plugin_host/PluginHost.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::review {
namespace {

class ReviewServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_ = dir_.path() / "demo";
    auto made = testsupport::runCommand({"bash", EKACI_SOURCE_DIR "/examples/demo/make-demo-repo.sh", repo_.string()},
                                        {{"PATH", "/usr/bin:/bin"}, {"HOME", dir_.path().string()}});
    ASSERT_EQ(made.status, 0) << made.err;
    auto loaded = plugins_.loadPath(EKACI_BUNDLED_PLUGIN_DIR, false);
    ASSERT_TRUE(loaded) << loaded.error().describe();
    storage_ = std::move(storage::SqliteStorage::open(dir_.path() / "state" / "db.sqlite")).value();
    hub_ = std::make_unique<services::ServiceHub>(logging_, plugins_.registry(), dir_.path() / "state");
    service_ = std::make_unique<ReviewService>(ReviewService::Services{
        ReviewPipeline::Services{*storage_, plugins_.registry(), *hub_, dir_.path() / "state", {}, 100000}, nullptr,
        nullptr, hub_->clock()});
  }

  ReviewRequest request() const {
    ReviewRequest r;
    r.repository = repo_.string();
    r.maxMemoryMiB = 2048;
    return r;
  }

  testsupport::TempDir dir_;
  std::filesystem::path repo_;
  plugin_host::PluginHost plugins_;
  std::ostringstream logs_;
  services::Logging logging_{services::LogFilter(), logs_};
  std::unique_ptr<storage::SqliteStorage> storage_;
  std::unique_ptr<services::ServiceHub> hub_;
  std::unique_ptr<ReviewService> service_;
};

// Without a scheduler the service refuses to build before it evaluates anything.
TEST_F(ReviewServiceTest, BuildingNeedsAScheduler) {
  ReviewService::Options options;
  options.build = true;
  std::size_t steps = 0;
  auto report = service_->review(request(), options, [&](const ReviewStep&) { ++steps; });
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(steps, 0u) << "nothing was fetched or evaluated";
}

// An evaluation-only review is the pipeline's report, with no build or size section.
TEST_F(ReviewServiceTest, AnEvaluationOnlyReviewHasNoBuildSections) {
  std::vector<std::string> lines;
  auto report = service_->review(request(), {}, [&](const ReviewStep& step) { lines.push_back(step.line); });
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_FALSE(report->jobs.empty());
  EXPECT_FALSE(report->builds.has_value());
  EXPECT_FALSE(report->sizes.has_value());
  EXPECT_TRUE(report->sizesUnavailable.empty());
  EXPECT_TRUE(report->buildsClean());
  EXPECT_FALSE(lines.empty()) << "progress was reported";
}

}  // namespace
}  // namespace ekaci::review
