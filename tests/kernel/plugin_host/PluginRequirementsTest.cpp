#include "kernel/plugin_host/PluginRequirements.h"

#include <gtest/gtest.h>

#include "kernel/config/ConfigLoader.h"
#include "kernel/plugin_host/PluginHost.h"

namespace ekaci::plugin_host {
namespace {

config::ServerConfig load(const std::string& text, const std::vector<std::string>& pluginCredentials = {}) {
  config::ConfigLoader loader(config::Environment({{"HOME", "/h"}}));
  loader.allowCredentialSources(pluginCredentials);
  auto config = loader.loadText(text, "ekaci.toml");
  EXPECT_TRUE(config) << config.error().message();
  return config ? std::move(config).value() : config::ServerConfig{};
}

PluginHost& bundled() {
  static PluginHost* host = [] {
    auto* h = new PluginHost;  // plugins are never unloaded
    EXPECT_TRUE(h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false));
    EXPECT_TRUE(h->loadPath(EKACI_REFERENCE_PLUGIN_DIR, false));
    return h;
  }();
  return *host;
}

}  // namespace

TEST(PluginRequirementsTest, AvailablePluginsSatisfyTheConfiguration) {
  auto config = load(
      "[[github_apps]]\nid = \"a\"\ncredentials = { env = { vars = [\"X\"] } }\n"
      "[[gitea_instances]]\ndomain = \"git.example.org\"\n"
      "[[gitlab_instances]]\ndomain = \"gitlab.example.org\"\ncredentials = { env = { vars = [\"GITLAB_TOKEN\"] } }\n"
      "[[forges]]\nid = \"rec\"\ntype = \"recording\"\nwebhook_secret = \"s\"\n");
  auto diagnostics = PluginRequirements::check(config, bundled().registry());
  EXPECT_TRUE(diagnostics.ok()) << diagnostics.describe();
}

TEST(PluginRequirementsTest, AnInstancesCredentialSourceMustBeAvailable) {
  auto config = load(
      "[[gitlab_instances]]\ndomain = \"gitlab.example.org\"\n"
      "credentials = { vault = { address = \"https://v\", secret_path = \"p\" } }\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("gitlab_instances[0].credentials"), std::string::npos) << text;
  EXPECT_NE(text.find("credential source 'vault' is not available"), std::string::npos) << text;
}

TEST(PluginRequirementsTest, MissingCredentialSourceIsNamed) {
  auto config = load(
      "[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\ndestination = \"s3://b\"\n"
      "credentials = { vault = { address = \"https://v\", secret_path = \"p\" } }\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("cache 'c' needs the 'nix-copy' cache plugin"), std::string::npos) << text;
  EXPECT_NE(text.find("credential source 'vault' is not available"), std::string::npos) << text;
  EXPECT_NE(text.find("env"), std::string::npos) << "lists what is available: " << text;
}

TEST(PluginRequirementsTest, UnknownForgeTypeGetsASuggestion) {
  auto config = load("[[forges]]\nid = \"x\"\ntype = \"recordin\"\n");
  auto diagnostics = PluginRequirements::check(config, bundled().registry());
  ASSERT_FALSE(diagnostics.ok());
  EXPECT_EQ(diagnostics.entries()[0].code, sdk::ErrorCode::ConfigUnknownPluginType);
  EXPECT_NE(diagnostics.describe().find("did you mean 'recording'?"), std::string::npos) << diagnostics.describe();
}

TEST(PluginRequirementsTest, PluginSettingsAreValidatedAgainstTheirSchema) {
  auto config = load("[[forges]]\nid = \"rec\"\ntype = \"recording\"\nwebhook_secrt = \"s\"\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("[forges[0].webhook_secrt]: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'webhook_secret'?"), std::string::npos) << text;
  EXPECT_NE(text.find("[forges[0].webhook_secret]: required key"), std::string::npos) << text;
  EXPECT_NE(text.find("ekaci.toml:4:1"), std::string::npos) << text;
}

TEST(PluginRequirementsTest, CredentialSettingsOfAPluginSourceAreChecked) {
  auto config = load("[[github_apps]]\nid = \"a\"\ncredentials = { static = { valuez = {} } }\n", {"static"});
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("[github_apps[0].credentials.static.valuez]: unknown key"), std::string::npos) << text;
}

}  // namespace ekaci::plugin_host
