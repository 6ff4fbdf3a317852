#include "ekaci/sdk/PluginEntry.h"

#include "EnvCredentialSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerEnvPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<EnvCredentialSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-env", EKACI_SDK_VERSION, ekaci::plugins::credentials::registerEnvPlugin)
