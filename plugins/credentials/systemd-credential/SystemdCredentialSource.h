#pragma once

#include <string>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// A systemd credential: $CREDENTIALS_DIRECTORY/<name>, which systemd decrypts for the
// service (LoadCredential=, LoadCredentialEncrypted=). Its content is JSON or KEY=value
// lines, like a secrets file, or — with `key` — a single value stored under that name.
class SystemdCredentialSource : public sdk::CredentialSource {
 public:
  SystemdCredentialSource(std::string name, std::string key) : name_(std::move(name)), key_(std::move(key)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override { return "systemd credential " + name_; }

 private:
  std::string name_;
  std::string key_;
};

}  // namespace ekaci::plugins::credentials
