#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class SystemdCredentialSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "systemd-credential"; }
  std::string description() const override {
    return "A systemd credential from $CREDENTIALS_DIRECTORY (also spelt { systemd = { credential_id = ... } }).";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
