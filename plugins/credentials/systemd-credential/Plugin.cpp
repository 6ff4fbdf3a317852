#include "ekaci/sdk/PluginEntry.h"

#include "SystemdCredentialSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerSystemdCredentialPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<SystemdCredentialSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-systemd-credential", EKACI_SDK_VERSION,
             ekaci::plugins::credentials::registerSystemdCredentialPlugin)
