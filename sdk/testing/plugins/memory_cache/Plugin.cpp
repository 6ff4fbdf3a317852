#include "ekaci/sdk/PluginEntry.h"

#include "MemoryCacheFactory.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCache(std::make_unique<ekaci::reference::MemoryCacheFactory>());
}
}  // namespace

EKACI_PLUGIN("reference-memory-cache", EKACI_SDK_VERSION, registerPlugin)
