#include "FileCredentialSourceFactory.h"

#include "FileCredentialSource.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema FileCredentialSourceFactory::settings() const {
  return {sdk::settings::requiredString("path", "Absolute path of the secrets file (JSON or KEY=value, mode 600).")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> FileCredentialSourceFactory::create(const sdk::Value& config,
                                                                                        sdk::HostServices&) const {
  const sdk::Value* path = config.find("path");
  if (path == nullptr || path->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "file credentials need a 'path'");
  }
  std::filesystem::path p(path->asString());
  if (!p.is_absolute()) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "secrets file path '" + p.string() +
                                                              "' must be absolute, so it does not depend on the "
                                                              "server's working directory");
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<FileCredentialSource>(p));
}

}  // namespace ekaci::plugins::credentials
