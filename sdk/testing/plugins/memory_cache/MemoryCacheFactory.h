#pragma once

#include "ekaci/sdk/CacheFactory.h"

namespace ekaci::reference {

class MemoryCacheFactory : public sdk::CacheFactory {
 public:
  std::string type() const override { return "memory"; }
  std::string description() const override { return "Keeps pushed store paths in memory (for tests)."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Cache>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::reference
