#include "forgekit/InstanceSettings.h"

namespace ekaci::forgekit {

sdk::SettingsSchema InstanceSettings::schema(const std::string& forge, const std::string& apiSuffix,
                                             const std::string& tokenName) {
  using namespace sdk::settings;
  sdk::Setting secret =
      string("webhook_secret", std::nullopt,
             "Webhook secret of this instance (default: security.webhook_secret, shared by every forge).");
  secret.secret = true;
  sdk::Setting token =
      string("token", std::nullopt, forge + " access token (prefer credentials or " + tokenName + ").");
  token.secret = true;
  return {
      string("domain", std::nullopt, forge + " domain, without protocol (e.g. git.example.org)."),
      string("api_url", std::nullopt,
             "API base when it is not https://<domain>" + apiSuffix + " (plain HTTP, a path prefix, tests)."),
      token,
      credentials("credentials", false, "Where the access token comes from: its entry " + tokenName + "."),
      secret,
      boolean("allow_insecure_webhooks", false, "Accept deliveries without a signature when no secret is set."),
  };
}

sdk::Result<std::string> InstanceSettings::apiUrl(const sdk::Value& config, const std::string& forge,
                                                  const std::string& apiSuffix) {
  std::string url;
  if (const sdk::Value* value = config.find("api_url"); value != nullptr) url = value->asString();
  if (url.empty()) {
    const sdk::Value* domain = config.find("domain");
    if (domain == nullptr || domain->asString().empty()) {
      return sdk::Error(sdk::ErrorCode::ConfigMissingKey, forge + " needs a domain or an api_url");
    }
    url = "https://" + domain->asString() + apiSuffix;
  }
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, forge + "'s api_url must start with http:// or https://");
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

bool InstanceSettings::allowInsecure(const sdk::Value& config) {
  const sdk::Value* insecure = config.find("allow_insecure_webhooks");
  return insecure != nullptr && insecure->asBool();
}

sdk::Result<std::optional<sdk::Secret>> InstanceSettings::webhookSecret(const sdk::Value& config,
                                                                        const std::string& forge) {
  std::optional<sdk::Secret> secret;
  if (const sdk::Value* value = config.find("webhook_secret"); value != nullptr && !value->asString().empty()) {
    secret = sdk::Secret(value->asString());
  }
  if (!secret && !allowInsecure(config)) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey,
                      forge +
                          " needs a webhook secret (security.webhook_secret, WEBHOOK_SECRET or the instance's "
                          "webhook_secret)");
  }
  return secret;
}

}  // namespace ekaci::forgekit
