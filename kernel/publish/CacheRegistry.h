#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Cache.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/InstanceLifecycle.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/services/KernelHostServices.h"
#include "kernel/services/ServiceHub.h"

namespace ekaci::publish {

// The server's [[caches]]: one plugin instance per block, created once at start-up (a
// block whose plugin refuses it stops start-up), guarded (PluginCallGuard), started in the
// order of the blocks, and at shutdown stopped and destroyed in the reverse order. Repository configurations name these
// by id only.
class CacheRegistry {
 public:
  struct Entry {
    std::string id;
    std::string type;
    config::PermissionsConfig permissions;
    std::unique_ptr<services::KernelHostServices> host;  // outlives the instance
    std::unique_ptr<sdk::Cache> cache;
  };

  static sdk::Result<std::unique_ptr<CacheRegistry>> create(const std::vector<config::CacheConfig>& caches,
                                                            const plugin_host::PluginRegistry& plugins,
                                                            services::ServiceHub& hub);
  ~CacheRegistry();
  CacheRegistry() = default;
  CacheRegistry(const CacheRegistry&) = delete;
  CacheRegistry& operator=(const CacheRegistry&) = delete;

  // Adds an instance made elsewhere (tests).
  void add(Entry entry);
  const Entry* find(const std::string& id) const;
  std::vector<std::string> ids() const;
  bool empty() const noexcept { return entries_.empty(); }

 private:
  std::vector<Entry> entries_;  // creation order
  plugin_host::InstanceLifecycle lifecycle_;
};

}  // namespace ekaci::publish
