// A well-formed plugin: one cache type "test-good". Built a second time under another plugin
// name (EKACI_TEST_PLUGIN_NAME) to test that two plugins may not provide the same type.
#include "ekaci/sdk/PluginEntry.h"

namespace {
class GoodCache : public ekaci::sdk::Cache {
 public:
  ekaci::sdk::Result<ekaci::sdk::CachePushResult> push(const ekaci::sdk::CachePushRequest& r) override {
    return ekaci::sdk::CachePushResult{r.storePaths.size(), 0};
  }
  ekaci::sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& paths) override {
    return std::vector<bool>(paths.size(), false);
  }
  std::string describe() const override { return "good"; }
};

class GoodFactory : public ekaci::sdk::CacheFactory {
 public:
  std::string type() const override { return "test-good"; }
  std::string description() const override { return "test plugin"; }
  ekaci::sdk::SettingsSchema settings() const override {
    return {ekaci::sdk::settings::requiredString("destination", "where")};
  }
  ekaci::sdk::Result<std::unique_ptr<ekaci::sdk::Cache>> create(const ekaci::sdk::Value&,
                                                                ekaci::sdk::HostServices&) const override {
    return std::unique_ptr<ekaci::sdk::Cache>(std::make_unique<GoodCache>());
  }
};

ekaci::sdk::Result<void> registerGood(ekaci::sdk::Registrar& registrar) {
  return registrar.addCache(std::make_unique<GoodFactory>());
}
}  // namespace

#ifndef EKACI_TEST_PLUGIN_NAME
#define EKACI_TEST_PLUGIN_NAME "test-good"
#endif
EKACI_PLUGIN(EKACI_TEST_PLUGIN_NAME, "1.0.0", registerGood)
