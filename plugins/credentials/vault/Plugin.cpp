#include "ekaci/sdk/PluginEntry.h"

#include "VaultCredentialSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerVaultPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<VaultCredentialSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-vault", EKACI_SDK_VERSION, ekaci::plugins::credentials::registerVaultPlugin)
