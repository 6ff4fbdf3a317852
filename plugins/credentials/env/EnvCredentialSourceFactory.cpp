#include "EnvCredentialSourceFactory.h"

#include "EnvCredentialSource.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema EnvCredentialSourceFactory::settings() const {
  sdk::Setting vars = sdk::settings::stringList("vars", "Environment variables that hold the secrets.");
  vars.required = true;
  vars.defaultValue = sdk::Value();
  return {vars};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> EnvCredentialSourceFactory::create(const sdk::Value& config,
                                                                                       sdk::HostServices&) const {
  const sdk::Value* vars = config.find("vars");
  if (vars == nullptr || !vars->isArray() || vars->items().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "env credentials need a non-empty 'vars' list");
  }
  std::vector<std::string> names;
  for (const auto& item : vars->items()) {
    const std::string& name = item.asString();
    bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name) {
      valid = valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    }
    if (!valid) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "'" + name + "' is not an environment variable name");
    }
    names.push_back(name);
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<EnvCredentialSource>(std::move(names)));
}

}  // namespace ekaci::plugins::credentials
