#pragma once

#include <string>

#include "credkit/InstanceMetadata.h"
#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// `credentials = "instance-metadata"`: the cloud instance's own role (AWS EC2, IMDSv2).
class InstanceMetadataSource : public sdk::CredentialSource {
 public:
  InstanceMetadataSource(sdk::HostServices& host, std::string endpoint) : metadata_(host, std::move(endpoint)) {}
  sdk::Result<sdk::Credentials> fetch() override { return metadata_.credentials(); }
  std::string describe() const override { return "instance metadata at " + metadata_.endpoint(); }

 private:
  InstanceMetadata metadata_;
};

}  // namespace ekaci::plugins::credentials
