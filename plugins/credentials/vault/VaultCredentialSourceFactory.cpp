#include "VaultCredentialSourceFactory.h"

#include <filesystem>
#include <utility>

#include "VaultCredentialSource.h"
#include "credkit/VariableName.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema VaultCredentialSourceFactory::settings() const {
  using namespace sdk::settings;
  return {requiredString("address", "Vault server URL, https://vault.example.com:8200."),
          requiredString("secret_path", "KV v2 secret path: secret/data/eka-ci/x (or secret/eka-ci/x)."),
          string("token_env", "VAULT_TOKEN", "Environment variable holding the Vault token."),
          string("namespace", std::nullopt, "Vault Enterprise namespace."),
          string("ca_cert", std::nullopt,
                 "PEM bundle of the CAs that sign Vault's certificate, trusted instead of the system's "
                 "(Vault's VAULT_CACERT)."),
          string("client_cert", std::nullopt,
                 "PEM client certificate for a Vault listener that requires one (mutual TLS); needs client_key."),
          string("client_key", std::nullopt, "PEM private key of client_cert (readable by the server only).")};
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
  const auto file = [&](const char* key, std::string& into) -> sdk::Result<void> {
    const sdk::Value* value = config.find(key);
    if (value == nullptr || !value->isString() || value->asString().empty()) return sdk::success();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(value->asString(), ec)) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                        std::string("vault ") + key + " '" + value->asString() + "' is not a readable file");
    }
    into = value->asString();
    return sdk::success();
  };
  for (auto [key, into] : {std::pair<const char*, std::string*>{"ca_cert", &s.tls.caFile},
                           {"client_cert", &s.tls.clientCertFile},
                           {"client_key", &s.tls.clientKeyFile}}) {
    if (auto checked = file(key, *into); !checked) return std::move(checked).error();
  }
  if (s.tls.clientCertFile.empty() != s.tls.clientKeyFile.empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "vault client_cert and client_key go together");
  }
  if (!s.tls.caFile.empty() || !s.tls.clientCertFile.empty()) {
    if (s.address.rfind("https://", 0) != 0) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "vault TLS settings need an https:// address");
    }
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<VaultCredentialSource>(std::move(s), host));
}

}  // namespace ekaci::plugins::credentials
