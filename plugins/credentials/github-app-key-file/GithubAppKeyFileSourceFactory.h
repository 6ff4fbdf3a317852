#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class GithubAppKeyFileSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "github-app-key-file"; }
  std::string description() const override {
    return "A GitHub App id from an environment variable and its private key from a PEM file.";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
