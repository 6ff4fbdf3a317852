#include "kernel/plugin_host/InstanceLifecycle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ekaci::plugin_host {
namespace {

class Recorded final : public sdk::PluginInstance {
 public:
  Recorded(std::string name, std::vector<std::string>& log, bool refuses = false)
      : name_(std::move(name)), log_(log), refuses_(refuses) {}
  sdk::Result<void> start() override {
    log_.push_back("start " + name_);
    if (refuses_) return sdk::Error(sdk::ErrorCode::IoError, "no connection");
    return sdk::success();
  }
  void stop() override { log_.push_back("stop " + name_); }

 private:
  std::string name_;
  std::vector<std::string>& log_;
  bool refuses_;
};

TEST(InstanceLifecycleTest, StartsInOrderAndStopsInReverse) {
  std::vector<std::string> log;
  Recorded a("a", log), b("b", log), c("c", log);
  {
    InstanceLifecycle lifecycle;
    ASSERT_TRUE(lifecycle.start(a, "a"));
    ASSERT_TRUE(lifecycle.start(b, "b"));
    ASSERT_TRUE(lifecycle.start(c, "c"));
    EXPECT_EQ(lifecycle.started(), 3u);
    lifecycle.stopAll();
    lifecycle.stopAll();  // once only
  }
  EXPECT_EQ(log, (std::vector<std::string>{"start a", "start b", "start c", "stop c", "stop b", "stop a"}));
}

TEST(InstanceLifecycleTest, ARefusedStartIsNamedAndNotStopped) {
  std::vector<std::string> log;
  Recorded a("a", log), bad("bad", log, true);
  {
    InstanceLifecycle lifecycle;
    ASSERT_TRUE(lifecycle.start(a, "a"));
    auto refused = lifecycle.start(bad, "cache 'bad' (attic)");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), sdk::ErrorCode::IoError);
    EXPECT_NE(refused.error().describe().find("starting cache 'bad' (attic)"), std::string::npos)
        << refused.error().describe();
  }  // the owner gives up: what was started is stopped
  EXPECT_EQ(log, (std::vector<std::string>{"start a", "start bad", "stop a"}));
}

}  // namespace
}  // namespace ekaci::plugin_host
