#include "MemoryCacheFactory.h"

#include "MemoryCache.h"

namespace ekaci::reference {

sdk::SettingsSchema MemoryCacheFactory::settings() const {
  return {sdk::settings::string("name", "memory", "Name shown in describe().")};
}

sdk::Result<std::unique_ptr<sdk::Cache>> MemoryCacheFactory::create(const sdk::Value& config,
                                                                    sdk::HostServices& /*host*/) const {
  const sdk::Value* name = config.find("name");
  return std::unique_ptr<sdk::Cache>(std::make_unique<MemoryCache>(name ? name->asString() : "memory"));
}

}  // namespace ekaci::reference
