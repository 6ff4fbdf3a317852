#include "ekaci/sdk/PluginEntry.h"

#include "RecordingForgeFactory.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addForge(std::make_unique<ekaci::reference::RecordingForgeFactory>());
}
}  // namespace

EKACI_PLUGIN("reference-recording-forge", EKACI_SDK_VERSION, registerPlugin)
