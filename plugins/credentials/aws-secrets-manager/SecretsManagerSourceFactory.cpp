#include "SecretsManagerSourceFactory.h"

#include "SecretsManagerSource.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema SecretsManagerSourceFactory::settings() const {
  using namespace sdk::settings;
  sdk::Setting key = string("key", std::nullopt,
                            "When the secret is one bare value: the name it is given. Without it SecretString is a "
                            "JSON object of entries.");
  key.minimum = 1;
  return {requiredString("secret_name", "Secret name or ARN."),
          string("region", std::nullopt, "AWS region; defaults to AWS_REGION."),
          string("endpoint", std::nullopt,
                 "Secrets Manager's address when not https://secretsmanager.<region>.amazonaws.com (a VPC endpoint)."),
          key,
          string("metadata_endpoint", "http://169.254.169.254",
                 "The instance metadata service asked for the instance role when the server's environment has no "
                 "AWS keys.")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> SecretsManagerSourceFactory::create(const sdk::Value& config,
                                                                                        sdk::HostServices& host) const {
  SecretsManagerSource::Settings s;
  const sdk::Value* name = config.find("secret_name");
  if (name == nullptr || !name->isString() || name->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "aws-secrets-manager needs secret_name");
  }
  s.secretName = name->asString();
  if (const sdk::Value* v = config.find("region"); v != nullptr && v->isString()) s.region = v->asString();
  for (char c : s.region) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "'" + s.region + "' is not an AWS region");
    }
  }
  if (const sdk::Value* v = config.find("endpoint"); v != nullptr && v->isString()) {
    s.endpoint = v->asString();
    while (!s.endpoint.empty() && s.endpoint.back() == '/') s.endpoint.pop_back();
    if (s.endpoint.rfind("https://", 0) != 0 && s.endpoint.rfind("http://", 0) != 0) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "aws-secrets-manager endpoint must be an http(s) URL");
    }
  }
  if (const sdk::Value* v = config.find("key"); v != nullptr && v->isString()) s.key = v->asString();
  if (const sdk::Value* v = config.find("metadata_endpoint"); v != nullptr && v->isString()) {
    s.metadataEndpoint = v->asString();
    while (!s.metadataEndpoint.empty() && s.metadataEndpoint.back() == '/') s.metadataEndpoint.pop_back();
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<SecretsManagerSource>(std::move(s), host));
}

}  // namespace ekaci::plugins::credentials
