#include "ekaci/sdk/PluginEntry.h"

#include "InstanceMetadataSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerInstanceMetadataPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<InstanceMetadataSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-instance-metadata", EKACI_SDK_VERSION,
             ekaci::plugins::credentials::registerInstanceMetadataPlugin)
