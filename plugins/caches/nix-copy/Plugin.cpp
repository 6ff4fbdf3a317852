#include "ekaci/sdk/PluginEntry.h"

#include "NixCopyCacheFactory.h"

namespace ekaci::plugins::caches {
ekaci::sdk::Result<void> registerNixCopyPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCache(std::make_unique<NixCopyCacheFactory>());
}
}  // namespace ekaci::plugins::caches

EKACI_PLUGIN("caches-nix-copy", EKACI_SDK_VERSION, ekaci::plugins::caches::registerNixCopyPlugin)
