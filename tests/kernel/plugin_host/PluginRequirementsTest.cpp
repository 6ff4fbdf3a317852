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
      "credentials = { github-app-key = { app_id = \"1\" } }\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("gitlab_instances[0].credentials"), std::string::npos) << text;
  EXPECT_NE(text.find("credential source 'github-app-key' is not available"), std::string::npos) << text;
}

TEST(PluginRequirementsTest, MissingCredentialSourceIsNamed) {
  auto config = load(
      "[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\ndestination = \"s3://b\"\n"
      "credentials = { github-app-key = { app_id = \"1\" } }\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("credential source 'github-app-key' is not available"), std::string::npos) << text;
  EXPECT_NE(text.find("env"), std::string::npos) << "lists what is available: " << text;
}

TEST(PluginRequirementsTest, MissingCachePluginIsNamedAndUnknownTypesGetASuggestion) {
  plugin_host::PluginHost none;  // no cache plugin loaded
  auto config = load(
      "[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\ndestination = \"s3://b\"\n"
      "[[caches]]\nid = \"d\"\ncache_type = \"cachx\"\ndestination = \"n\"\n");
  auto text = PluginRequirements::check(config, none.registry()).describe();
  EXPECT_NE(text.find("cache 'c' needs the 'nix-copy' cache plugin, which is not loaded"), std::string::npos) << text;
  EXPECT_NE(text.find("E2005 [caches[1].cache_type]: unknown cache type 'cachx' (did you mean 'cachix'?)"),
            std::string::npos)
      << text;
}

TEST(PluginRequirementsTest, CacheSettingsAreThePluginsOwn) {
  // The bundled nix-copy plugin declares destination (required) and secret_key_file.
  auto config = load("[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\nsecret_key_fil = \"/k\"\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("[caches[0].destination]: required key"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'secret_key_file'?"), std::string::npos) << text;
  auto fine = load(
      "[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\ndestination = \"file:///srv/cache\"\n"
      "credentials = \"none\"\n[[caches]]\nid = \"p\"\ncache_type = \"cachix\"\n"
      "destination = \"public\"\ncredentials = { none = {} }\n");
  auto ok = PluginRequirements::check(fine, bundled().registry());
  EXPECT_TRUE(ok.ok()) << "credentials = none needs no plugin, in both spellings: " << ok.describe();
}

TEST(PluginRequirementsTest, PrivateCacheDestinationsAreRefusedUnlessAllowed) {
  for (const std::string destination :
       {"http://127.0.0.1:8080", "https://[::1]/c", "http://169.254.169.254/latest", "http://localhost/c",
        "s3://bucket?endpoint=http://10.0.0.5:9000", "http://[fd00:ec2::254]/", "https://192.168.1.4/cache",
        "http://metadata.google.internal/"}) {
    auto config = load("[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\ndestination = \"" + destination + "\"\n");
    auto text = PluginRequirements::check(config, bundled().registry()).describe();
    EXPECT_NE(text.find("E11002 [caches[0].destination]"), std::string::npos) << destination << ": " << text;
    EXPECT_NE(text.find("allow_private_cache_hosts"), std::string::npos) << text;
  }
  for (const std::string destination : {"s3://bucket/path?region=us-east-1", "file:///srv/cache",
                                        "https://8.8.8.8/cache", "s3://b?endpoint=https://93.184.216.34"}) {
    auto config = load("[[caches]]\nid = \"c\"\ncache_type = \"nix-copy\"\ndestination = \"" + destination + "\"\n");
    auto diagnostics = PluginRequirements::check(config, bundled().registry());
    EXPECT_TRUE(diagnostics.ok()) << destination << ": " << diagnostics.describe();
  }
  auto allowed = load(
      "[security]\nallow_private_cache_hosts = true\n[[caches]]\nid = \"c\"\n"
      "cache_type = \"nix-copy\"\ndestination = \"http://127.0.0.1:8080\"\n");
  auto diagnostics = PluginRequirements::check(allowed, bundled().registry());
  EXPECT_TRUE(diagnostics.ok()) << diagnostics.describe();
}

TEST(PluginRequirementsTest, CredentialSettingsAreTheSourcePluginsOwn) {
  auto config = load(
      "[[github_apps]]\nid = \"a\"\n"
      "credentials = { vault = { adress = \"https://v\", secret_path = \"p\" } }\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("[github_apps[0].credentials.vault.address]: required key"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'address'?"), std::string::npos) << text;
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

TEST(PluginRequirementsTest, AGithubAppIsCheckedByTheGithubPluginsSchema) {
  auto config = load("[[github_apps]]\nid = \"a\"\n[[github_apps]]\nid = \"b\"\napi_ur = \"https://x\"\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("[github_apps[1].api_ur]: unknown key"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'api_url'?"), std::string::npos) << text;
  EXPECT_NE(text.find("ekaci.toml:5:"), std::string::npos) << text;
  auto nameless = load("[[github_apps]]\napi_url = \"https://x\"\n");
  EXPECT_NE(PluginRequirements::check(nameless, bundled().registry()).describe().find("[github_apps[0].id]: required"),
            std::string::npos);
}

TEST(PluginRequirementsTest, UnknownCredentialTagSuggestsTheSource) {
  auto config = load("[[github_apps]]\nid = \"a\"\ncredentials = { fiel = { path = \"/x\" } }\n");
  auto text = PluginRequirements::check(config, bundled().registry()).describe();
  EXPECT_NE(text.find("E2006"), std::string::npos) << text;
  EXPECT_NE(text.find("unknown credential source 'fiel' (did you mean 'file'?)"), std::string::npos) << text;
  EXPECT_NE(text.find("ekaci.toml:3:"), std::string::npos) << text;
  EXPECT_EQ(text.find("is not available"), std::string::npos) << "reported once: " << text;
}

TEST(PluginRequirementsTest, CredentialBlocksAreCheckedForShape) {
  auto check = [](const std::string& text) {
    return PluginRequirements::check(load(text), bundled().registry()).describe();
  };
  std::string bare = check("[[gitea_instances]]\ndomain = \"g\"\ncredentials = \"vault\"\n");
  EXPECT_NE(bare.find("needs settings"), std::string::npos) << bare;
  std::string two =
      check("[[github_apps]]\nid = \"a\"\ncredentials = { env = { vars = [] }, file = { path = \"/x\" } }\n");
  EXPECT_NE(two.find("exactly one source"), std::string::npos) << two;
  std::string notTable = check("[[github_apps]]\nid = \"a\"\ncredentials = { vault = \"x\" }\n");
  EXPECT_NE(notTable.find("expected a table of settings"), std::string::npos) << notTable;
}

TEST(PluginRequirementsTest, AMissingForgePluginIsNamedWhereverTheInstanceWasWritten) {
  plugin_host::PluginHost none;  // no forge plugin loaded
  auto config = load("[[gitlab_instances]]\ndomain = \"gitlab.example.org\"\n");
  auto diagnostics = PluginRequirements::check(config, none.registry());
  ASSERT_FALSE(diagnostics.ok());
  EXPECT_EQ(diagnostics.entries()[0].code, sdk::ErrorCode::ConfigPluginUnavailable);
  EXPECT_NE(diagnostics.describe().find("[gitlab_instances[0]]: forge 'gitlab' needs the 'gitlab' forge plugin"),
            std::string::npos)
      << diagnostics.describe();
}

}  // namespace ekaci::plugin_host
