#pragma once

#include <string>

#include "credkit/InstanceMetadata.h"
#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// An AWS Secrets Manager secret: GetSecretValue (POST, X-Amz-Target
// secretsmanager.GetSecretValue, JSON 1.1), signed with Signature Version 4 by the server's
// own AWS identity — AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) from the
// environment, else the instance role (IMDSv2). The secret's SecretString is a JSON object
// whose fields become the entries, or — with `key` — a single value under that name.
// ResourceNotFoundException is SecretNotFound; access denied and signature errors are
// SecretSourceUnavailable.
class SecretsManagerSource : public sdk::CredentialSource {
 public:
  struct Settings {
    std::string secretName;
    std::string region;    // empty: AWS_REGION, then AWS_DEFAULT_REGION
    std::string endpoint;  // empty: https://secretsmanager.<region>.amazonaws.com
    std::string key;
    std::string metadataEndpoint = "http://169.254.169.254";
  };

  SecretsManagerSource(Settings settings, sdk::HostServices& host)
      : settings_(std::move(settings)), host_(host), metadata_(host, settings_.metadataEndpoint) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override { return "AWS Secrets Manager secret " + settings_.secretName; }

 private:
  Settings settings_;
  sdk::HostServices& host_;
  InstanceMetadata metadata_;
};

}  // namespace ekaci::plugins::credentials
