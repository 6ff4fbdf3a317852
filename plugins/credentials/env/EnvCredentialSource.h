#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// Reads secrets from the server's environment: `credentials = { env = { vars = [...] } }`.
// Each variable becomes one entry under its own name. A variable that is unset or empty is
// an error naming it (never an empty secret).
class EnvCredentialSource : public sdk::CredentialSource {
 public:
  explicit EnvCredentialSource(std::vector<std::string> variables) : variables_(std::move(variables)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override;

 private:
  std::vector<std::string> variables_;
};

}  // namespace ekaci::plugins::credentials
