#include "GithubAppKeyFileSourceFactory.h"

#include "GithubAppKeyFileSource.h"
#include "credkit/VariableName.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema GithubAppKeyFileSourceFactory::settings() const {
  using namespace sdk::settings;
  return {string("app_id_env", "GITHUB_APP_ID", "Environment variable holding the App id."),
          requiredString("key_file", "PEM private key file (mode 600).")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> GithubAppKeyFileSourceFactory::create(const sdk::Value& config,
                                                                                          sdk::HostServices&) const {
  const sdk::Value* variable = config.find("app_id_env");
  const std::string name = variable != nullptr && variable->isString() ? variable->asString() : "GITHUB_APP_ID";
  if (!VariableName::valid(name)) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "'" + name + "' is not an environment variable name");
  }
  const sdk::Value* file = config.find("key_file");
  if (file == nullptr || !file->isString() || file->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "github-app-key-file needs key_file");
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<GithubAppKeyFileSource>(name, file->asString()));
}

}  // namespace ekaci::plugins::credentials
