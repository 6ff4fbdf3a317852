#include "SystemdCredentialSourceFactory.h"

#include "SystemdCredentialSource.h"

namespace ekaci::plugins::credentials {

sdk::SettingsSchema SystemdCredentialSourceFactory::settings() const {
  using namespace sdk::settings;
  sdk::Setting name = string("name", std::nullopt, "The credential's name (LoadCredential=<name>:...).");
  sdk::Setting id = string("credential_id", std::nullopt, "The same, as the systemd = { ... } spelling names it.");
  sdk::Setting key = string("key", std::nullopt,
                            "When the credential holds one bare value (a token): the name it is given, e.g. "
                            "CACHIX_AUTH_TOKEN. Without it the content is JSON or KEY=value lines.");
  for (auto* s : {&name, &id, &key}) s->minimum = 1;
  return {name, id, key};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> SystemdCredentialSourceFactory::create(const sdk::Value& config,
                                                                                           sdk::HostServices&) const {
  const sdk::Value* name = config.find("name");
  const sdk::Value* id = config.find("credential_id");
  const bool hasName = name != nullptr && name->isString(), hasId = id != nullptr && id->isString();
  if (hasName == hasId) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey,
                      "a systemd credential needs exactly one of name, credential_id");
  }
  const std::string value = hasName ? name->asString() : id->asString();
  if (value.empty() || value.find('/') != std::string::npos || value == "." || value == "..") {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "'" + value + "' is not a systemd credential name");
  }
  const sdk::Value* key = config.find("key");
  return std::unique_ptr<sdk::CredentialSource>(
      std::make_unique<SystemdCredentialSource>(value, key != nullptr && key->isString() ? key->asString() : ""));
}

}  // namespace ekaci::plugins::credentials
