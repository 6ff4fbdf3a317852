#include "ekaci/sdk/PluginEntry.h"

#include "SecretsManagerSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerSecretsManagerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<SecretsManagerSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-aws-secrets-manager", EKACI_SDK_VERSION,
             ekaci::plugins::credentials::registerSecretsManagerPlugin)
