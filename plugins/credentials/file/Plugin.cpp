#include "ekaci/sdk/PluginEntry.h"

#include "FileCredentialSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerFilePlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<FileCredentialSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-file", EKACI_SDK_VERSION, ekaci::plugins::credentials::registerFilePlugin)
