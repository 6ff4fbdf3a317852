#include "kernel/publish/CacheRegistry.h"

#include "kernel/plugin_host/GuardedCache.h"

namespace ekaci::publish {

sdk::Result<std::unique_ptr<CacheRegistry>> CacheRegistry::create(const std::vector<config::CacheConfig>& caches,
                                                                  const plugin_host::PluginRegistry& plugins,
                                                                  services::ServiceHub& hub) {
  auto registry = std::make_unique<CacheRegistry>();
  for (const auto& cache : caches) {
    const sdk::CacheFactory* factory = plugins.cache(cache.cacheType);
    if (factory == nullptr) {
      return sdk::Error(sdk::ErrorCode::ConfigPluginUnavailable,
                        "cache '" + cache.id + "': no loaded plugin provides cache type '" + cache.cacheType + "'");
    }
    auto host = hub.hostFor(sdk::PluginKind::Cache, cache.cacheType, cache.id);
    if (!host) return std::move(host).error();
    if (auto prepared = hub.prepareAllIn(cache.settings); !prepared) {
      return std::move(prepared).error().withContext("cache '" + cache.id + "'");
    }
    const plugin_host::PluginCallGuard guard("cache " + cache.cacheType + "/" + cache.id, **host);
    auto made =
        guard.call<std::unique_ptr<sdk::Cache>>("create", [&] { return factory->create(cache.settings, **host); });
    if (!made) {
      return sdk::Error(sdk::ErrorCode::PluginCreateFailed,
                        "cache '" + cache.id + "' (" + cache.cacheType + "): " + made.error().describe());
    }
    auto guarded = std::make_unique<plugin_host::GuardedCache>(std::move(made).value(), guard);
    registry->add(Entry{cache.id, cache.cacheType, cache.permissions, std::move(host).value(), std::move(guarded)});
  }
  for (const auto& entry : registry->entries_) {
    auto started = registry->lifecycle_.start(*entry.cache, "cache '" + entry.id + "' (" + entry.type + ")");
    if (!started) return std::move(started).error();
  }
  return registry;
}

CacheRegistry::~CacheRegistry() {
  // Instances stop and go first (newest first), each before the host services it may hold on to.
  lifecycle_.stopAll();
  while (!entries_.empty()) {
    entries_.back().cache.reset();
    entries_.pop_back();
  }
}

void CacheRegistry::add(Entry entry) {
  entries_.push_back(std::move(entry));
}

const CacheRegistry::Entry* CacheRegistry::find(const std::string& id) const {
  for (const auto& entry : entries_) {
    if (entry.id == id) return &entry;
  }
  return nullptr;
}

std::vector<std::string> CacheRegistry::ids() const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry.id);
  return out;
}

}  // namespace ekaci::publish
