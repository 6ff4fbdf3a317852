#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class EnvCredentialSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "env"; }
  std::string description() const override { return "Secrets from the server's environment variables."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
