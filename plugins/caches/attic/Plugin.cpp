#include "ekaci/sdk/PluginEntry.h"

#include "AtticCacheFactory.h"

namespace ekaci::plugins::caches {
ekaci::sdk::Result<void> registerAtticPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCache(std::make_unique<AtticCacheFactory>());
}
}  // namespace ekaci::plugins::caches

EKACI_PLUGIN("caches-attic", EKACI_SDK_VERSION, ekaci::plugins::caches::registerAtticPlugin)
