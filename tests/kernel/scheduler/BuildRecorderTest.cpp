#include "kernel/scheduler/BuildRecorder.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "kernel/services/SystemClock.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::scheduler {
namespace {

class BuildRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage_ = storage::SqliteStorage::open(dir_.path() / "db.sqlite").value();
    storage::DrvRecord row;
    row.drvPath = "/nix/store/" + std::string(32, 'a') + "-x.drv";
    row.system = "x86_64-linux";
    node_.drvId = storage_->upsertDrvs({row}).value().front();
    node_.path = row.drvPath;
  }
  std::vector<std::string> states() {
    std::vector<std::string> out;
    auto events = storage_->buildEvents(node_.drvId);
    if (!events) return out;
    for (const auto& e : *events) out.push_back(e.state);
    return out;
  }

  testsupport::TempDir dir_;
  std::unique_ptr<storage::SqliteStorage> storage_;
  services::SystemClock clock_;
  sdk::testing::CapturingLogger logger_;
  BuildGraph::Node node_;
};

TEST_F(BuildRecorderTest, EveryTransitionIsWrittenBeforeTheNodeTakesIt) {
  BuildRecorder recorder(*storage_, clock_, logger_);
  recorder.firstQueued(node_, "queued for jobset 1");
  ASSERT_TRUE(recorder.transition(node_, BuildStatus{BuildState::Buildable}, "all inputs built"));
  ASSERT_TRUE(recorder.transition(node_, BuildStatus{BuildState::Building}, "building on local", true));
  EXPECT_EQ(node_.attempt, 1);
  EXPECT_EQ(node_.status.state, BuildState::Building);
  EXPECT_EQ(states(), (std::vector<std::string>{"queued", "buildable", "building"}));
  auto events = storage_->buildEvents(node_.drvId);
  ASSERT_TRUE(events && !events->empty());
  EXPECT_EQ(events->back().attempt, 1);
}

TEST_F(BuildRecorderTest, AForbiddenTransitionIsRefusedLoggedAndNotWritten) {
  BuildRecorder recorder(*storage_, clock_, logger_);
  recorder.firstQueued(node_, "queued");
  EXPECT_FALSE(recorder.transition(node_, BuildStatus{BuildState::Success}, "a shortcut"));
  EXPECT_EQ(node_.status.state, BuildState::Queued);
  EXPECT_EQ(states(), (std::vector<std::string>{"queued"}));
  EXPECT_TRUE(logger_.contains("refused build state transition"));
  // The database refuses it too, whoever writes it (the guard the recorder installed).
  EXPECT_FALSE(storage_->recordBuildEvent({0, node_.drvId, 0, "success", "written around the recorder", 1}));
}

TEST_F(BuildRecorderTest, AnEventThatCannotBeWrittenIsNotActedOn) {
  BuildRecorder recorder(*storage_, clock_, logger_);
  recorder.firstQueued(node_, "queued");
  node_.drvId = 999999;  // no such derivation: the write fails
  EXPECT_FALSE(recorder.transition(node_, BuildStatus{BuildState::Buildable}, "all inputs built"));
  EXPECT_EQ(node_.status.state, BuildState::Queued);
  EXPECT_TRUE(logger_.contains("cannot persist a build event"));
}

}  // namespace
}  // namespace ekaci::scheduler
