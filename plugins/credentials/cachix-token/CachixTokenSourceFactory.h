#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class CachixTokenSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "cachix-token"; }
  std::string description() const override { return "A Cachix auth token from an environment variable."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
