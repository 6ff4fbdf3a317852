#include "GiteaForgeFactory.h"

#include "GiteaForge.h"
#include "forgekit/InstanceSettings.h"

namespace ekaci::gitea {

sdk::SettingsSchema GiteaForgeFactory::settings() const {
  return forgekit::InstanceSettings::schema("Gitea", "/api/v1", "GITEA_TOKEN");
}

sdk::Result<std::unique_ptr<sdk::Forge>> GiteaForgeFactory::create(const sdk::Value& config,
                                                                   sdk::HostServices& host) const {
  auto secret = forgekit::InstanceSettings::webhookSecret(config, "Gitea");
  if (!secret) return std::move(secret).error();
  auto apiUrl = forgekit::InstanceSettings::apiUrl(config, "Gitea", "/api/v1");
  if (!apiUrl) return std::move(apiUrl).error();
  auto webhooks =
      std::make_unique<GiteaWebhooks>(std::move(secret).value(), forgekit::InstanceSettings::allowInsecure(config), "");
  return std::unique_ptr<sdk::Forge>(
      std::make_unique<GiteaForge>(std::move(webhooks), std::move(apiUrl).value(),
                                   forgekit::AccessToken::fromSettings(config, "GITEA_TOKEN", host), host));
}

}  // namespace ekaci::gitea
