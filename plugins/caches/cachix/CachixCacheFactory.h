#pragma once

#include "ekaci/sdk/CacheFactory.h"

namespace ekaci::plugins::caches {

class CachixCacheFactory : public sdk::CacheFactory {
 public:
  std::string type() const override { return "cachix"; }
  std::string description() const override { return "cachix push to a Cachix binary cache."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Cache>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::caches
