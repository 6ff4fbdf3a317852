#pragma once

#include <filesystem>
#include <string>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// A GitHub App's id from an environment variable and its PEM private key from a private
// file: GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY, the names the GitHub forge plugin reads.
class GithubAppKeyFileSource : public sdk::CredentialSource {
 public:
  GithubAppKeyFileSource(std::string idVariable, std::filesystem::path keyFile)
      : idVariable_(std::move(idVariable)), keyFile_(std::move(keyFile)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override {
    return "GitHub App id from " + idVariable_ + ", private key from " + keyFile_.string();
  }

 private:
  std::string idVariable_;
  std::filesystem::path keyFile_;
};

}  // namespace ekaci::plugins::credentials
