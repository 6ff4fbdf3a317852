#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class AwsProfileSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "aws-profile"; }
  std::string description() const override { return "AWS keys of a profile in ~/.aws/credentials (and its region)."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
