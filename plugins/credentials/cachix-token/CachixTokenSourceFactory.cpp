#include "CachixTokenSourceFactory.h"

#include "CachixTokenSource.h"
#include "credkit/VariableName.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema CachixTokenSourceFactory::settings() const {
  return {sdk::settings::string("env_var", "CACHIX_AUTH_TOKEN", "Environment variable holding the token.")};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> CachixTokenSourceFactory::create(const sdk::Value& config,
                                                                                     sdk::HostServices&) const {
  const sdk::Value* variable = config.find("env_var");
  const std::string name = variable != nullptr && variable->isString() ? variable->asString() : "CACHIX_AUTH_TOKEN";
  if (!VariableName::valid(name)) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "'" + name + "' is not an environment variable name");
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<CachixTokenSource>(name));
}

}  // namespace ekaci::plugins::credentials
