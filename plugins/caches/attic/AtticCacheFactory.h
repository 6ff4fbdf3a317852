#pragma once

#include "ekaci/sdk/CacheFactory.h"

namespace ekaci::plugins::caches {

class AtticCacheFactory : public sdk::CacheFactory {
 public:
  std::string type() const override { return "attic"; }
  std::string description() const override { return "attic push to a self-hosted Attic cache."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Cache>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::caches
