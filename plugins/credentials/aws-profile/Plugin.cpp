#include "ekaci/sdk/PluginEntry.h"

#include "AwsProfileSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerAwsProfilePlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<AwsProfileSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-aws-profile", EKACI_SDK_VERSION, ekaci::plugins::credentials::registerAwsProfilePlugin)
