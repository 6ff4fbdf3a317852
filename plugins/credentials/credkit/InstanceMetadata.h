#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "ekaci/sdk/Credentials.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugins::credentials {

// The EC2 instance metadata service, version 2 only (a session token first, so a forged
// request through a server-side request forgery cannot read it): PUT /latest/api/token,
// then the instance role's temporary keys from
// /latest/meta-data/iam/security-credentials/<role>. Kept until five minutes before their
// Expiration. Gives AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
class InstanceMetadata {
 public:
  InstanceMetadata(sdk::HostServices& host, std::string endpoint) : host_(host), endpoint_(std::move(endpoint)) {}
  sdk::Result<sdk::Credentials> credentials();
  const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  sdk::Result<std::string> get(const std::string& path, const std::string& token);

  sdk::HostServices& host_;
  std::string endpoint_;
  std::mutex mutex_;
  std::string accessKeyId_, secretAccessKey_, sessionToken_;
  std::chrono::system_clock::time_point validUntil_{};
};

}  // namespace ekaci::plugins::credentials
