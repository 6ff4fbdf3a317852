#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::reference {

// Returns the values written in its configuration: the reference CredentialSource.
class StaticCredentialSource : public sdk::CredentialSource {
 public:
  explicit StaticCredentialSource(std::vector<std::pair<std::string, std::string>> values)
      : values_(std::move(values)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

}  // namespace ekaci::reference
