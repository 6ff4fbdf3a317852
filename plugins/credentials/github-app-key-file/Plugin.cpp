#include "ekaci/sdk/PluginEntry.h"

#include "GithubAppKeyFileSourceFactory.h"

namespace ekaci::plugins::credentials {
ekaci::sdk::Result<void> registerGithubAppKeyFilePlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addCredentialSource(std::make_unique<GithubAppKeyFileSourceFactory>());
}
}  // namespace ekaci::plugins::credentials

EKACI_PLUGIN("credentials-github-app-key-file", EKACI_SDK_VERSION,
             ekaci::plugins::credentials::registerGithubAppKeyFilePlugin)
