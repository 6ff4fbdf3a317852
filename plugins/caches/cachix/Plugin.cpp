#include "ekaci/sdk/PluginEntry.h"

#include "CachixCacheFactory.h"

namespace ekaci::plugins::caches {
ekaci::sdk::Result<void> registerCachixPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCache(std::make_unique<CachixCacheFactory>());
}
}  // namespace ekaci::plugins::caches

EKACI_PLUGIN("caches-cachix", EKACI_SDK_VERSION, ekaci::plugins::caches::registerCachixPlugin)
