#include "kernel/services/ServiceHub.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>

#include "kernel/plugin_host/PluginHost.h"
#include "tests/support/TempDir.h"

namespace ekaci::services {
namespace {

plugin_host::PluginHost& bundled() {
  static plugin_host::PluginHost* host = [] {
    auto* h = new plugin_host::PluginHost;  // never unloaded
    EXPECT_TRUE(h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false));
    return h;
  }();
  return *host;
}

sdk::Value block(const std::string& tag, sdk::Value settings) {
  sdk::Value b = sdk::Value::table();
  b.set(tag, std::move(settings));
  return b;
}

}  // namespace

class ServiceHubTest : public ::testing::Test {
 protected:
  std::ostringstream logs_;
  Logging logging_{LogFilter(), logs_};
  testsupport::TempDir state_;
  ServiceHub hub_{logging_, bundled().registry(), state_.path()};
};

TEST_F(ServiceHubTest, ResolvesFileCredentialsThroughThePlugin) {
  auto file = state_.write("secrets.json", R"({"TOKEN": "t-123"})", 0600);
  sdk::Value settings = sdk::Value::table();
  settings.set("path", sdk::Value::string(file.string()));
  auto credentials = hub_.resolve(block("file", settings));
  ASSERT_TRUE(credentials) << credentials.error().describe();
  EXPECT_EQ(credentials->find("TOKEN")->reveal(), "t-123");
}

TEST_F(ServiceHubTest, ResolvesEnvCredentialsThroughThePlugin) {
  ::setenv("EKACI_HUB_TEST_TOKEN", "from-env", 1);
  sdk::Value settings = sdk::Value::table();
  settings.set("vars", sdk::Value::stringList({"EKACI_HUB_TEST_TOKEN"}));
  auto credentials = hub_.resolve(block("env", settings));
  ::unsetenv("EKACI_HUB_TEST_TOKEN");
  ASSERT_TRUE(credentials) << credentials.error().describe();
  EXPECT_EQ(credentials->find("EKACI_HUB_TEST_TOKEN")->reveal(), "from-env");
}

TEST_F(ServiceHubTest, NoneNeedsNoPlugin) {
  for (const auto& spelling : {sdk::Value::string("none"), block("none", sdk::Value::table())}) {
    auto credentials = hub_.resolve(spelling);
    ASSERT_TRUE(credentials) << credentials.error().describe();
    EXPECT_TRUE(credentials->empty());
  }
}

TEST_F(ServiceHubTest, DocumentedButMissingSourceIsUnavailable) {
  sdk::Value settings = sdk::Value::table();
  settings.set("app_id", sdk::Value::string("1"));
  auto credentials = hub_.resolve(block("github-app-key", settings));
  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().code(), sdk::ErrorCode::ConfigPluginUnavailable);
  EXPECT_NE(credentials.error().message().find("available: aws-profile, aws-secrets-manager, cachix-token, env, file"),
            std::string::npos)
      << credentials.error().message();
  auto unknown = hub_.resolve(block("fille", sdk::Value::table()));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), sdk::ErrorCode::ConfigUnknownCredentialTag);
  EXPECT_NE(unknown.error().message().find("did you mean 'file'?"), std::string::npos);
}

TEST_F(ServiceHubTest, InvalidSettingsAreRejectedBeforeThePluginSeesThem) {
  auto credentials = hub_.resolve(block("file", sdk::Value::table()));
  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().code(), sdk::ErrorCode::ConfigMissingKey);
}

TEST_F(ServiceHubTest, HostServicesArePerInstance) {
  auto host = hub_.hostFor(sdk::PluginKind::Cache, "attic", "main");
  ASSERT_TRUE(host) << host.error().describe();
  EXPECT_EQ((*host)->stateDirectory(), state_.path() / "plugins" / "cache" / "attic" / "main");
  struct stat st {};
  ASSERT_EQ(::stat((*host)->stateDirectory().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  (*host)->metrics().counter("pushes_total", "Pushes.", {}).increment();
  EXPECT_NE(hub_.metrics().render().find(
                "eka_ci_pushes_total{instance=\"main\",plugin_kind=\"cache\",plugin_type=\"attic\"} 1"),
            std::string::npos)
      << hub_.metrics().render();
  (*host)->logger().info("pushed");
  logging_.flush();
  EXPECT_NE(logs_.str().find("plugin.cache.attic.main: pushed"), std::string::npos) << logs_.str();
}

}  // namespace ekaci::services
