#include "SystemdCredentialSource.h"

#include <cstdlib>
#include <filesystem>

#include "credkit/PrivateFile.h"
#include "credkit/SecretsFileParser.h"

namespace ekaci::plugins::credentials {

sdk::Result<sdk::Credentials> SystemdCredentialSource::fetch() {
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  if (dir == nullptr || *dir == '\0') {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      "CREDENTIALS_DIRECTORY is not set: systemd credential " + name_ +
                          " needs the service to load it (LoadCredential=" + name_ + ":...)");
  }
  auto text = PrivateFile::read(std::filesystem::path(dir) / name_);
  if (!text) {
    if (text.error().code() == sdk::ErrorCode::SecretFileUnreadable) {
      return sdk::Error(sdk::ErrorCode::SecretNotFound, "systemd credential " + name_ + ": " + text.error().message());
    }
    return std::move(text).error();
  }
  if (!key_.empty()) {
    std::string value(text->reveal());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty()) return sdk::Error(sdk::ErrorCode::SecretNotFound, "systemd credential " + name_ + " is empty");
    sdk::Credentials out;
    out.set(key_, sdk::Secret(std::move(value)));
    return out;
  }
  auto parsed = SecretsFileParser::parse(std::string(text->reveal()));
  if (!parsed)
    return sdk::Error(parsed.error().code(), parsed.error().message() + " (systemd credential " + name_ + ")");
  return parsed;
}

}  // namespace ekaci::plugins::credentials
