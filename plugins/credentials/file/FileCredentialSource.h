#pragma once

#include <filesystem>
#include <string>

#include "ekaci/sdk/CredentialSource.h"

namespace ekaci::plugins::credentials {

// Reads secrets from a file on every fetch (so rotation needs no restart). The file must be
// a regular file that neither group nor others can read or write (mode 600 or 400): an
// exposed secrets file is refused, not used.
class FileCredentialSource : public sdk::CredentialSource {
 public:
  static constexpr std::size_t kMaxBytes = std::size_t{1024} * 1024;
  explicit FileCredentialSource(std::filesystem::path path) : path_(std::move(path)) {}
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override { return "file " + path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace ekaci::plugins::credentials
