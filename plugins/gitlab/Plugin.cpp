#include "GitlabForgeFactory.h"
#include "ekaci/sdk/PluginEntry.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addForge(std::make_unique<ekaci::gitlab::GitlabForgeFactory>());
}
}  // namespace

EKACI_PLUGIN("gitlab", EKACI_SDK_VERSION, registerPlugin)
