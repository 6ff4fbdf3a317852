#include "GitlabForgeFactory.h"

#include "GitlabForge.h"
#include "forgekit/InstanceSettings.h"

namespace ekaci::gitlab {

sdk::SettingsSchema GitlabForgeFactory::settings() const {
  using namespace sdk::settings;
  sdk::SettingsSchema schema = forgekit::InstanceSettings::schema("GitLab", "/api/v4", "GITLAB_TOKEN");
  schema.push_back(choice("token_type", {"private", "oauth"}, "private",
                          "How the token is sent: private (PRIVATE-TOKEN, access tokens) or oauth (Bearer)."));
  return schema;
}

sdk::Result<std::unique_ptr<sdk::Forge>> GitlabForgeFactory::create(const sdk::Value& config,
                                                                    sdk::HostServices& host) const {
  auto secret = forgekit::InstanceSettings::webhookSecret(config, "GitLab");
  if (!secret) return std::move(secret).error();
  auto apiUrl = forgekit::InstanceSettings::apiUrl(config, "GitLab", "/api/v4");
  if (!apiUrl) return std::move(apiUrl).error();
  const sdk::Value* type = config.find("token_type");
  const bool oauth = type != nullptr && type->asString() == "oauth";
  auto webhooks = std::make_unique<GitlabWebhooks>(std::move(secret).value(),
                                                   forgekit::InstanceSettings::allowInsecure(config), "");
  return std::unique_ptr<sdk::Forge>(
      std::make_unique<GitlabForge>(std::move(webhooks), std::move(apiUrl).value(),
                                    forgekit::AccessToken::fromSettings(config, "GITLAB_TOKEN", host), oauth, host));
}

}  // namespace ekaci::gitlab
