#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::reference {

class StaticCredentialSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "static"; }
  std::string description() const override { return "Secrets written in the configuration itself (for tests)."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::reference
