// docs/CONFIG.md: the server's settings, then the settings every bundled plugin declares —
// generated from the code; this golden test fails when either drifts (EKACI_UPDATE_GOLDEN=1
// build/bin/plugin_host_tests rewrites it).
#include "kernel/plugin_host/PluginDocumentation.h"

#include <gtest/gtest.h>

#include "kernel/config/ConfigDocumentation.h"
#include "kernel/config/ServerSchema.h"
#include "kernel/plugin_host/PluginHost.h"
#include "tests/support/Golden.h"

namespace ekaci::plugin_host {
namespace {

PluginHost& bundledOnly() {
  static PluginHost* host = [] {
    auto* h = new PluginHost;  // never unloaded
    EXPECT_TRUE(h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false));
    return h;
  }();
  return *host;
}

}  // namespace

TEST(PluginDocumentationTest, ConfigReferenceIsCurrent) {
  const std::string text =
      "<!-- Generated from the code by the test suite (EKACI_UPDATE_GOLDEN=1); do not edit. -->\n\n"
      "# ekaci.toml reference\n\nEvery setting of the server configuration, with its type, default and environment "
      "override.\n\n" +
      config::ConfigDocumentation::markdownReference(config::ServerSchema::settings()) + "\n" +
      PluginDocumentation::markdown(bundledOnly().registry());
  const std::string difference = testsupport::compareWithGolden("docs/CONFIG.md", text);
  EXPECT_TRUE(difference.empty()) << difference;
}

TEST(PluginDocumentationTest, EveryBundledTypeIsDescribed) {
  const auto& registry = bundledOnly().registry();
  for (auto kind : {sdk::PluginKind::Cache, sdk::PluginKind::CredentialSource, sdk::PluginKind::Evaluator,
                    sdk::PluginKind::Forge}) {
    for (const auto& type : registry.types(kind)) {
      auto text = PluginDocumentation::describe(registry, type);
      ASSERT_TRUE(text) << type;
      EXPECT_NE(text->find("### `" + type + "`"), std::string::npos) << *text;
    }
  }
  auto cache = PluginDocumentation::describe(registry, "attic");
  ASSERT_TRUE(cache);
  EXPECT_NE(cache->find("In `[[caches]]` with `cache_type = \"attic\"`"), std::string::npos) << *cache;
  EXPECT_NE(cache->find("| `destination` | string | required |"), std::string::npos) << *cache;
  EXPECT_FALSE(PluginDocumentation::describe(registry, "no-such-type"));
}

}  // namespace ekaci::plugin_host
