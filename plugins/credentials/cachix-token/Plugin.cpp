#include "ekaci/sdk/PluginEntry.h"

#include "CachixTokenSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerCachixTokenPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<CachixTokenSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-cachix-token", EKACI_SDK_VERSION, ekaci::plugins::credentials::registerCachixTokenPlugin)
