#pragma once

#include "ekaci/sdk/CacheFactory.h"

namespace ekaci::plugins::caches {

class NixCopyCacheFactory : public sdk::CacheFactory {
 public:
  std::string type() const override { return "nix-copy"; }
  std::string description() const override {
    return "nix copy --to a Nix store URL: S3, HTTP(S) binary caches, file://, ssh://.";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Cache>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::caches
