#pragma once

#include <map>
#include <string>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// An AWS profile from the shared files: `[profile]` of ~/.aws/credentials
// ($AWS_SHARED_CREDENTIALS_FILE) gives AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and, when
// set, AWS_SESSION_TOKEN; `[profile NAME]` (or `[default]`) of ~/.aws/config
// ($AWS_CONFIG_FILE) adds AWS_REGION. The credentials file must be private (mode 600).
class AwsProfileSource : public sdk::CredentialSource {
 public:
  explicit AwsProfileSource(std::string profile) : profile_(std::move(profile)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override { return "AWS profile " + profile_; }

  // The keys of section `wanted` of an INI text (keys lower-case, values trimmed).
  static std::map<std::string, std::string> section(const std::string& text, const std::string& wanted);

 private:
  std::string profile_;
};

}  // namespace ekaci::plugins::credentials
