#include "GiteaForgeFactory.h"
#include "ekaci/sdk/PluginEntry.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addForge(std::make_unique<ekaci::gitea::GiteaForgeFactory>());
}
}  // namespace

EKACI_PLUGIN("gitea", EKACI_SDK_VERSION, registerPlugin)
