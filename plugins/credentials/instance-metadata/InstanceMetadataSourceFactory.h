#pragma once

#include "ekaci/sdk/CredentialSourceFactory.h"

namespace ekaci::plugins::credentials {

class InstanceMetadataSourceFactory : public sdk::CredentialSourceFactory {
 public:
  std::string type() const override { return "instance-metadata"; }
  std::string description() const override { return "The cloud instance's role credentials (AWS EC2, IMDSv2)."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::CredentialSource>> create(const sdk::Value& config,
                                                             sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::credentials
