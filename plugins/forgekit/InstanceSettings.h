#pragma once

#include <optional>
#include <string>

#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"
#include "ekaci/sdk/Setting.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::forgekit {

// The settings a token-authenticated forge instance (Gitea, GitLab) declares and reads:
// its domain or API base, its access token (plain or through a credential source) and its
// webhook secret (the kernel passes security.webhook_secret unless the instance has one).
class InstanceSettings {
 public:
  // `forge` names it in the descriptions ("Gitea"); `apiSuffix` is the API path on its
  // domain ("/api/v1"); `tokenName` is the credential entry of the token ("GITEA_TOKEN").
  static sdk::SettingsSchema schema(const std::string& forge, const std::string& apiSuffix,
                                    const std::string& tokenName);

  // api_url, or https://<domain><apiSuffix>; InvalidArgument when neither is set.
  static sdk::Result<std::string> apiUrl(const sdk::Value& config, const std::string& forge,
                                         const std::string& apiSuffix);
  // The webhook secret; ConfigMissingKey when there is none and insecure deliveries are not allowed.
  static sdk::Result<std::optional<sdk::Secret>> webhookSecret(const sdk::Value& config, const std::string& forge);
  static bool allowInsecure(const sdk::Value& config);
};

}  // namespace ekaci::forgekit
