#pragma once

#include <string>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// A Cachix auth token from the environment variable `env_var`, given as CACHIX_AUTH_TOKEN
// (the name the cachix cache plugin and cachix itself read), whatever the variable is called.
class CachixTokenSource : public sdk::CredentialSource {
 public:
  explicit CachixTokenSource(std::string variable) : variable_(std::move(variable)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override { return "Cachix token from environment variable " + variable_; }

 private:
  std::string variable_;
};

}  // namespace ekaci::plugins::credentials
