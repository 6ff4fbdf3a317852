#pragma once

#include "ekaci/sdk/CacheFactory.h"

namespace acme {

class DirectoryCacheFactory : public ekaci::sdk::CacheFactory {
 public:
  std::string type() const override { return "acme.directory"; }
  std::string description() const override { return "Marks pushed paths in a directory (example plugin)."; }
  ekaci::sdk::SettingsSchema settings() const override { return {}; }
  ekaci::sdk::Result<std::unique_ptr<ekaci::sdk::Cache>> create(const ekaci::sdk::Value& config,
                                                                ekaci::sdk::HostServices& host) const override;
};

}  // namespace acme
