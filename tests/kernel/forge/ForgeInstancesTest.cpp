// The settings a forge instance's plugin gets: its block, and [security]'s one webhook
// secret for every forge unless the instance has its own.
#include "kernel/forge/ForgeInstances.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

TEST(ForgeInstancesTest, AnInstanceGetsItsBlockAndTheSharedWebhookSecret) {
  config::ServerConfig config;
  config.security.webhookSecret = sdk::Secret("shared");
  config::ForgeInstanceConfig gitea;
  gitea.id = "gitea";
  gitea.type = "gitea";
  gitea.settings = sdk::Value::table();
  gitea.settings.set("domain", sdk::Value::string("git.example.org"));
  gitea.settings.set("token", sdk::Value::string("t"));
  const sdk::Value settings = ForgeInstances::settingsOf(gitea, config);
  EXPECT_EQ(settings.find("domain")->asString(), "git.example.org");
  EXPECT_EQ(settings.find("token")->asString(), "t");
  EXPECT_EQ(settings.find("webhook_secret")->asString(), "shared");
  EXPECT_FALSE(settings.find("allow_insecure_webhooks")->asBool());

  config::ForgeInstanceConfig own = gitea;
  own.settings.set("webhook_secret", sdk::Value::string("mine"));
  config.security.allowInsecureWebhooks = true;
  const sdk::Value mine = ForgeInstances::settingsOf(own, config);
  EXPECT_EQ(mine.find("webhook_secret")->asString(), "mine") << "an instance's own secret wins";
  EXPECT_TRUE(mine.find("allow_insecure_webhooks")->asBool());
}

}  // namespace
}  // namespace ekaci::forge

#include <sstream>
#include <stdexcept>

#include "ekaci/sdk/ForgeFactory.h"
#include "tests/kernel/forge/ScriptedForge.h"
#include "tests/support/TempDir.h"

namespace ekaci::forge {
namespace {

// Forges that write their start and stop into a shared log; the one with id "refuses"
// does not start, the one with id "throws" throws from start().
class LifecycleForge final : public testing::ScriptedForge {
 public:
  LifecycleForge(std::string id, std::vector<std::string>& log) : id_(std::move(id)), log_(log) {}
  sdk::Result<void> start() override {
    log_.push_back("start " + id_);
    if (id_ == "throws") throw std::runtime_error("cannot start");
    if (id_ == "refuses") return sdk::Error(sdk::ErrorCode::HttpConnect, "no route");
    return sdk::success();
  }
  void stop() override { log_.push_back("stop " + id_); }

 private:
  std::string id_;
  std::vector<std::string>& log_;
};

class LifecycleForgeFactory final : public sdk::ForgeFactory {
 public:
  explicit LifecycleForgeFactory(std::vector<std::string>& log) : log_(log) {}
  std::string type() const override { return "lifecycle"; }
  std::string description() const override { return "test forge"; }
  sdk::SettingsSchema settings() const override { return {}; }
  sdk::Result<std::unique_ptr<sdk::Forge>> create(const sdk::Value& config, sdk::HostServices&) const override {
    log_.push_back("create " + config.find("name")->asString());
    if (config.find("name")->asString() == "bad-factory") throw std::logic_error("factory bug");
    return std::unique_ptr<sdk::Forge>(std::make_unique<LifecycleForge>(config.find("name")->asString(), log_));
  }

 private:
  std::vector<std::string>& log_;
};

class ForgeLifecycleTest : public ::testing::Test {
 protected:
  ForgeLifecycleTest() { EXPECT_TRUE(registry_.addForge(std::make_unique<LifecycleForgeFactory>(log_))); }

  config::ServerConfig configOf(const std::vector<std::string>& ids) {
    config::ServerConfig config;
    config.security.allowInsecureWebhooks = true;
    for (const auto& id : ids) {
      config::ForgeInstanceConfig forge;
      forge.id = id;
      forge.type = "lifecycle";
      forge.settings = sdk::Value::table();
      forge.settings.set("name", sdk::Value::string(id));
      config.forges.push_back(std::move(forge));
    }
    return config;
  }

  std::vector<std::string> log_;
  plugin_host::PluginRegistry registry_;
  std::ostringstream logs_;
  services::Logging logging_{services::LogFilter(), logs_};
  testsupport::TempDir state_;
  services::ServiceHub hub_{logging_, registry_, state_.path()};
};

TEST_F(ForgeLifecycleTest, InstancesAreCreatedOnceThenStartedAndStoppedInReverse) {
  {
    auto forges = ForgeInstances::create(configOf({"a", "b"}), registry_, hub_);
    ASSERT_TRUE(forges) << forges.error().describe();
    EXPECT_EQ(log_, (std::vector<std::string>{"create a", "create b", "start a", "start b"}));
    // Calls reach the instance through the kernel's guard.
    EXPECT_TRUE((*forges)->find("a")->forge->webhooks().parse(sdk::WebhookRequest{{}, "push 1", ""}));
  }
  EXPECT_EQ(log_, (std::vector<std::string>{"create a", "create b", "start a", "start b", "stop b", "stop a"}));
}

TEST_F(ForgeLifecycleTest, AnInstanceThatDoesNotStartStopsStartUpAndTheStartedOnesAreStopped) {
  for (const std::string bad : {"refuses", "throws"}) {
    log_.clear();
    auto forges = ForgeInstances::create(configOf({"a", bad, "c"}), registry_, hub_);
    ASSERT_FALSE(forges);
    EXPECT_NE(forges.error().describe().find("starting forge '" + bad + "' (lifecycle)"), std::string::npos)
        << forges.error().describe();
    if (bad == "throws") {
      EXPECT_EQ(forges.error().code(), sdk::ErrorCode::PluginCallFailed);
      EXPECT_NE(forges.error().describe().find("cannot start"), std::string::npos);
    }
    EXPECT_EQ(log_,
              (std::vector<std::string>{"create a", "create " + bad, "create c", "start a", "start " + bad, "stop a"}));
  }
}

TEST_F(ForgeLifecycleTest, AFactoryThatThrowsIsAnErrorAndTheInstancesMadeBeforeAreDestroyedUnstarted) {
  auto forges = ForgeInstances::create(configOf({"a", "bad-factory"}), registry_, hub_);
  ASSERT_FALSE(forges);
  EXPECT_EQ(forges.error().code(), sdk::ErrorCode::PluginCallFailed);
  EXPECT_NE(forges.error().describe().find("forge lifecycle/bad-factory failed in create: it threw factory bug"),
            std::string::npos)
      << forges.error().describe();
  EXPECT_EQ(log_, (std::vector<std::string>{"create a", "create bad-factory"}));
}

}  // namespace
}  // namespace ekaci::forge
