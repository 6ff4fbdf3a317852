#pragma once

#include <memory>

#include "ekaci/sdk/Cache.h"
#include "kernel/plugin_host/PluginCallGuard.h"

namespace ekaci::plugin_host {

// A cache instance as the kernel holds it: every call goes through a PluginCallGuard.
class GuardedCache final : public sdk::Cache {
 public:
  GuardedCache(std::unique_ptr<sdk::Cache> inner, PluginCallGuard guard)
      : inner_(std::move(inner)), guard_(std::move(guard)) {}

  sdk::Result<void> start() override;
  void stop() override;
  sdk::Result<sdk::CachePushResult> push(const sdk::CachePushRequest& request) override;
  sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) override;
  std::string describe() const override;

 private:
  std::unique_ptr<sdk::Cache> inner_;
  PluginCallGuard guard_;
};

}  // namespace ekaci::plugin_host
