#include "RecordingForgeFactory.h"

#include "RecordingForge.h"

namespace ekaci::reference {

sdk::SettingsSchema RecordingForgeFactory::settings() const {
  sdk::Setting secret = sdk::settings::requiredString("webhook_secret", "HMAC-SHA256 key of webhook deliveries.");
  secret.secret = true;
  sdk::Setting permissions = sdk::settings::table("permissions", {}, "user = \"read\" | \"write\" | \"admin\".");
  permissions.openTable = true;
  return {secret, permissions};
}

sdk::Result<std::unique_ptr<sdk::Forge>> RecordingForgeFactory::create(const sdk::Value& config,
                                                                       sdk::HostServices& host) const {
  const sdk::Value* secret = config.find("webhook_secret");
  if (secret == nullptr || secret->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "webhook_secret is required");
  }
  std::map<std::string, sdk::Permission> permissions;
  if (const sdk::Value* table = config.find("permissions")) {
    static const std::map<std::string, sdk::Permission> kLevels = {
        {"none", sdk::Permission::None},         {"read", sdk::Permission::Read},
        {"triage", sdk::Permission::Triage},     {"write", sdk::Permission::Write},
        {"maintain", sdk::Permission::Maintain}, {"admin", sdk::Permission::Admin}};
    for (std::size_t i = 0; i < table->size(); ++i) {
      auto level = kLevels.find(table->items()[i].asString());
      if (level == kLevels.end()) {
        return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                          "permissions." + table->keys()[i] + ": unknown level " + table->items()[i].toString());
      }
      permissions[table->keys()[i]] = level->second;
    }
  }
  return std::unique_ptr<sdk::Forge>(std::make_unique<RecordingForge>(secret->asString(), std::move(permissions), host));
}

}  // namespace ekaci::reference
