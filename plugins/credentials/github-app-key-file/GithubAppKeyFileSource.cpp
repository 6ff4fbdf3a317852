#include "GithubAppKeyFileSource.h"

#include <cstdlib>

#include "credkit/PrivateFile.h"

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Credentials> GithubAppKeyFileSource::fetch() {
  const char* id = std::getenv(idVariable_.c_str());
  if (id == nullptr || *id == '\0') {
    return sdk::Error(sdk::ErrorCode::SecretNotFound,
                      "environment variable " + idVariable_ + " (the App id) is not set");
  }
  for (const char* c = id; *c != '\0'; ++c) {
    if (*c < '0' || *c > '9') {
      return sdk::Error(sdk::ErrorCode::SecretParse, "environment variable " + idVariable_ + " is not a GitHub App id");
    }
  }
  auto key = PrivateFile::read(keyFile_, std::size_t{64} * 1024);
  if (!key) return std::move(key).error();
  const std::string_view text = key->reveal();
  if (text.find("-----BEGIN ") == std::string_view::npos || text.find("PRIVATE KEY-----") == std::string_view::npos) {
    return sdk::Error(sdk::ErrorCode::SecretParse, keyFile_.string() + " is not a PEM private key");
  }
  sdk::Credentials out;
  out.set("GITHUB_APP_ID", sdk::Secret(id));
  out.set("GITHUB_APP_PRIVATE_KEY", std::move(key).value());
  return out;
}

}  // namespace ekaci::plugins::credentials
