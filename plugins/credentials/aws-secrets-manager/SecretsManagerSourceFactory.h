#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class SecretsManagerSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "aws-secrets-manager"; }
  std::string description() const override { return "An AWS Secrets Manager secret (GetSecretValue, SigV4)."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
