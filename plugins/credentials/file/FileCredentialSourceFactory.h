#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class FileCredentialSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "file"; }
  std::string description() const override {
    return "Secrets from a JSON or KEY=value file readable only by the server (mode 600).";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
