#include "ekaci/sdk/PluginEntry.h"

#include "DirectoryCacheFactory.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCache(std::make_unique<acme::DirectoryCacheFactory>());
}
}  // namespace

EKACI_PLUGIN("acme-directory-cache", "0.1.0", registerPlugin)
