#include "GithubForgeFactory.h"
#include "ekaci/sdk/PluginEntry.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addForge(std::make_unique<ekaci::github::GithubForgeFactory>());
}
}  // namespace

EKACI_PLUGIN("github", EKACI_SDK_VERSION, registerPlugin)
