#include "ekaci/sdk/PluginEntry.h"

#include "StaticCredentialSourceFactory.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<ekaci::reference::StaticCredentialSourceFactory>());
}
}  // namespace

EKACI_PLUGIN("reference-static-credentials", EKACI_SDK_VERSION, registerPlugin)
