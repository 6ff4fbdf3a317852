#include "VaultCredentialSourceFactory.h"

#include "VaultCredentialSource.h"
#include "credkit/VariableName.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema VaultCredentialSourceFactory::settings() const {
  using namespace sdk::settings;
  return {requiredString("address", "Vault server URL, https://vault.example.com:8200."),
          requiredString("secret_path", "KV v2 secret path: secret/data/eka-ci/x (or secret/eka-ci/x)."),
          string("token_env", "VAULT_TOKEN", "Environment variable holding the Vault token."),
          string("namespace", std::nullopt, "Vault Enterprise namespace.")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> VaultCredentialSourceFactory::create(
    const sdk::Value& config, sdk::HostServices& host) const {
  VaultCredentialSource::Settings s;
  const sdk::Value* address = config.find("address");
  const sdk::Value* path = config.find("secret_path");
  if (address == nullptr || !address->isString() || path == nullptr || !path->isString() || path->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "vault needs address and secret_path");
  }
  s.address = address->asString();
  while (!s.address.empty() && s.address.back() == '/') s.address.pop_back();
  if (s.address.rfind("https://", 0) != 0 && s.address.rfind("http://", 0) != 0) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "vault address '" + s.address + "' is not an http(s) URL");
  }
  if (path->asString().find("..") != std::string::npos || path->asString().find_first_of("?#") != std::string::npos) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "vault secret_path may not contain '..', '?' or '#'");
  }
  s.apiPath = VaultCredentialSource::apiPathOf(path->asString());
  if (const sdk::Value* env = config.find("token_env"); env != nullptr && env->isString()) s.tokenEnv = env->asString();
  if (!VariableName::valid(s.tokenEnv)) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "'" + s.tokenEnv + "' is not an environment variable name");
  }
  if (const sdk::Value* ns = config.find("namespace"); ns != nullptr && ns->isString())
    s.vaultNamespace = ns->asString();
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<VaultCredentialSource>(std::move(s), host));
}

}  // namespace ekaci::plugins::credentials
