#include "StaticCredentialSourceFactory.h"

#include "StaticCredentialSource.h"

namespace ekaci::reference {

sdk::SettingsSchema StaticCredentialSourceFactory::settings() const {
  sdk::Setting values = sdk::settings::table("values", {}, "Secret name = value pairs.");
  values.openTable = true;
  values.secret = true;
  return {values};
}

sdk::Result<std::unique_ptr<sdk::CredentialSource>> StaticCredentialSourceFactory::create(
    const sdk::Value& config, sdk::HostServices& /*host*/) const {
  std::vector<std::pair<std::string, std::string>> values;
  if (const sdk::Value* table = config.find("values")) {
    for (std::size_t i = 0; i < table->size(); ++i) {
      const sdk::Value& v = table->items()[i];
      if (!v.isString()) {
        return sdk::Error(sdk::ErrorCode::ConfigWrongType, "values." + table->keys()[i] + " must be a string");
      }
      values.emplace_back(table->keys()[i], v.asString());
    }
  }
  return std::unique_ptr<sdk::CredentialSource>(std::make_unique<StaticCredentialSource>(std::move(values)));
}

}  // namespace ekaci::reference
