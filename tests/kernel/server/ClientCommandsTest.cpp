#include "kernel/server/ClientCommands.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "kernel/config/ConfigLoader.h"
#include "kernel/storage/Migrations.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::server {

class ClientCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = config::ConfigLoader(config::Environment({{"HOME", "/h"}})).loadText("", "ekaci.toml");
    ASSERT_TRUE(config);
    config_ = std::move(config).value();
    auto storage = storage::SqliteStorage::open(dir_.path() / "db.sqlite");
    ASSERT_TRUE(storage);
    storage_ = std::move(storage).value();
    status_ = std::make_unique<StatusService>(config_, plugins_, *storage_, std::chrono::steady_clock::now());
    commands_ = std::make_unique<ClientCommands>(*status_, logger_);
  }

  testsupport::TempDir dir_;
  config::ServerConfig config_;
  plugin_host::PluginHost plugins_;
  std::unique_ptr<storage::SqliteStorage> storage_;
  std::unique_ptr<StatusService> status_;
  sdk::testing::CapturingLogger logger_;
  std::unique_ptr<ClientCommands> commands_;
};

TEST_F(ClientCommandsTest, StatusAndPing) {
  EXPECT_EQ(commands_->handle(R"({"command":"ping"})"), R"({"ok":true,"result":{"pong":true}})");
  const std::string status = commands_->handle(R"({"command":"status"})");
  EXPECT_NE(status.find("\"ok\":true"), std::string::npos) << status;
  EXPECT_NE(status.find("\"schema_version\":" + std::to_string(storage::Migrations::latestVersion())), std::string::npos)
      << status;
  EXPECT_NE(status.find("\"queue_depths\":{}"), std::string::npos) << status;
}

TEST_F(ClientCommandsTest, MalformedAndUnknownRequestsGetStableErrors) {
  EXPECT_NE(commands_->handle("not json").find("\"code\":9001"), std::string::npos);
  EXPECT_NE(commands_->handle("[1,2]").find("\"code\":9001"), std::string::npos);
  EXPECT_NE(commands_->handle(R"({"command":7})").find("\"code\":9001"), std::string::npos);
  const std::string unknown = commands_->handle(R"({"command":"reboot"})");
  EXPECT_NE(unknown.find("\"code\":9002"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("protocol.unknown_command"), std::string::npos) << unknown;
}

}  // namespace ekaci::server
