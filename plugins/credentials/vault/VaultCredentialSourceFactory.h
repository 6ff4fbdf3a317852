#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class VaultCredentialSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "vault"; }
  std::string description() const override { return "A HashiCorp Vault KV v2 secret, read with a token."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
