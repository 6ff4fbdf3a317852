#include "kernel/plugin_host/PluginRegistry.h"

#include <gtest/gtest.h>

namespace ekaci::plugin_host {
namespace {
class NamedCacheFactory : public sdk::CacheFactory {
 public:
  explicit NamedCacheFactory(std::string type) : type_(std::move(type)) {}
  std::string type() const override { return type_; }
  std::string description() const override { return "test"; }
  sdk::SettingsSchema settings() const override { return {}; }
  sdk::Result<std::unique_ptr<sdk::Cache>> create(const sdk::Value&, sdk::HostServices&) const override {
    return sdk::Error(sdk::ErrorCode::Unsupported, "test factory");
  }

 private:
  std::string type_;
};
}  // namespace

TEST(PluginRegistryTest, KindsAreSeparateNamespaces) {
  PluginRegistry registry;
  registry.beginPlugin("p", "p.so");
  ASSERT_TRUE(registry.addCache(std::make_unique<NamedCacheFactory>("env")));
  EXPECT_NE(registry.cache("env"), nullptr);
  EXPECT_EQ(registry.credentialSource("env"), nullptr);
  EXPECT_EQ(registry.types(sdk::PluginKind::Cache), std::vector<std::string>{"env"});
}

TEST(PluginRegistryTest, RejectsEmptyTypesAndNullFactories) {
  PluginRegistry registry;
  EXPECT_FALSE(registry.addCache(std::make_unique<NamedCacheFactory>("")));
  EXPECT_FALSE(registry.addCache(nullptr));
  EXPECT_TRUE(registry.entries().empty());
}

TEST(PluginRegistryTest, RollbackRemovesOnlyTheCurrentPlugin) {
  PluginRegistry registry;
  registry.beginPlugin("first", "first.so");
  ASSERT_TRUE(registry.addCache(std::make_unique<NamedCacheFactory>("a")));
  registry.beginPlugin("second", "second.so");
  ASSERT_TRUE(registry.addCache(std::make_unique<NamedCacheFactory>("b")));
  registry.rollbackPlugin();
  EXPECT_NE(registry.cache("a"), nullptr);
  EXPECT_EQ(registry.cache("b"), nullptr);
}

}  // namespace ekaci::plugin_host
