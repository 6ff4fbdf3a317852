#include "kernel/services/ServiceHub.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sstream>
#include <stdexcept>

#include "ekaci/sdk/CredentialSourceFactory.h"
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

namespace {

// A credential source that counts its instances and fetches; "throwing" ones throw.
struct SourceCounts {
  int created = 0, started = 0, stopped = 0, fetched = 0;
};

class CountedSource final : public sdk::CredentialSource {
 public:
  CountedSource(SourceCounts& counts, bool throwing) : counts_(counts), throwing_(throwing) {}
  sdk::Result<void> start() override {
    ++counts_.started;
    return sdk::success();
  }
  void stop() override { ++counts_.stopped; }
  sdk::Result<sdk::Credentials> fetch() override {
    ++counts_.fetched;
    if (throwing_) throw std::runtime_error("vault client bug");
    sdk::Credentials out;
    out.set("TOKEN", sdk::Secret("t"));
    return out;
  }
  std::string describe() const override { return "counted"; }

 private:
  SourceCounts& counts_;
  bool throwing_;
};

class CountedSourceFactory final : public sdk::CredentialSourceFactory {
 public:
  explicit CountedSourceFactory(SourceCounts& counts) : counts_(counts) {}
  std::string type() const override { return "acme.counted"; }
  std::string description() const override { return "test source"; }
  sdk::SettingsSchema settings() const override {
    using namespace sdk::settings;
    return {boolean("throwing", false, "fetch() throws"), string("slot", "a", "which slot")};
  }
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& settings,
                                                             sdk::HostServices&) const override {
    ++counts_.created;
    const sdk::Value* throwing = settings.find("throwing");
    return std::unique_ptr<sdk::CredentialSource>(
        std::make_unique<CountedSource>(counts_, throwing != nullptr && throwing->asBool()));
  }

 private:
  SourceCounts& counts_;
};

}  // namespace

// A hub whose only credential source is the counted one.
class ServiceHubSourcesTest : public ::testing::Test {
 protected:
  ServiceHubSourcesTest() { EXPECT_TRUE(registry.addCredentialSource(std::make_unique<CountedSourceFactory>(counts))); }

  SourceCounts counts;
  plugin_host::PluginRegistry registry;
  std::ostringstream logs;
  Logging logging{LogFilter(), logs};
  testsupport::TempDir state;
};

TEST_F(ServiceHubSourcesTest, OneStartedInstancePerBlockServesEveryFetchAndIsStoppedWithTheHub) {
  {
    ServiceHub hub(logging, registry, state.path());
    sdk::Value a = block("acme.counted", sdk::Value::table());
    sdk::Value otherSettings = sdk::Value::table();
    otherSettings.set("slot", sdk::Value::string("b"));
    sdk::Value b = block("acme.counted", otherSettings);
    // Start-up prepares every block of the configuration: created and started, nothing fetched.
    sdk::Value settings = sdk::Value::table();
    sdk::Value apps = sdk::Value::array();
    sdk::Value app = sdk::Value::table();
    app.set("credentials", a);
    apps.push(app);
    settings.set("apps", apps);
    settings.set("credentials", b);
    ASSERT_TRUE(hub.prepareAllIn(settings));
    EXPECT_EQ(counts.created, 2);
    EXPECT_EQ(counts.started, 2);
    EXPECT_EQ(counts.fetched, 0);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(hub.resolve(a));
    ASSERT_TRUE(hub.resolve(b));
    EXPECT_EQ(counts.created, 2) << "no create() per use";
    EXPECT_EQ(counts.fetched, 4);
    EXPECT_EQ(counts.stopped, 0);
  }
  EXPECT_EQ(counts.stopped, 2);
}

TEST_F(ServiceHubSourcesTest, ASourceThatThrowsAnswersPluginCallFailed) {
  ServiceHub hub(logging, registry, state.path());
  sdk::Value settings = sdk::Value::table();
  settings.set("throwing", sdk::Value::boolean(true));
  auto fetched = hub.resolve(block("acme.counted", settings));
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code(), sdk::ErrorCode::PluginCallFailed);
  EXPECT_NE(fetched.error().message().find("credential source acme.counted failed in fetch"), std::string::npos)
      << fetched.error().message();
  logging.flush();
  EXPECT_NE(logs.str().find("vault client bug"), std::string::npos) << logs.str();
}

}  // namespace ekaci::services
