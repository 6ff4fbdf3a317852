#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/CredentialSource.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/HttpClient.h"

namespace ekaci::plugins::credentials {

// A HashiCorp Vault KV version 2 secret: GET <address>/v1/<mount>/data/<path> with the
// token of the environment variable `token_env` in X-Vault-Token (and X-Vault-Namespace for
// Vault Enterprise). Each field of the secret's data is one entry. The answer is kept only
// as long as Vault's lease_duration allows (KV answers 0: asked again at every fetch).
// 403 is SecretSourceUnavailable ("permission denied"), 404 SecretNotFound. Over https the
// server is verified against the system's CAs or only `ca_cert`; `client_cert` and
// `client_key` authenticate the server to Vault's TLS listener (mutual TLS).
class VaultCredentialSource : public sdk::CredentialSource {
 public:
  struct Settings {
    std::string address;  // https://vault.example.com:8200, no trailing slash
    std::string apiPath;  // secret/data/eka-ci/s3-cache
    std::string tokenEnv = "VAULT_TOKEN";
    std::string vaultNamespace;
    sdk::HttpTls tls;  // ca_cert, client_cert, client_key
  };

  VaultCredentialSource(Settings settings, sdk::HostServices& host) : settings_(std::move(settings)), host_(host) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override { return "Vault " + settings_.address + "/v1/" + settings_.apiPath; }

  // The KV v2 API path of a configured secret_path: kept when it names the data endpoint
  // ("secret/data/x"), else "<mount>/data/<rest>" with the first segment as the mount
  // ("secret/x" -> "secret/data/x"); a single segment is under the default mount "secret".
  static std::string apiPathOf(const std::string& secretPath);

 private:
  Settings settings_;
  sdk::HostServices& host_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, sdk::Secret>> cached_;
  std::chrono::system_clock::time_point cachedUntil_{};
};

}  // namespace ekaci::plugins::credentials
