#include "CachixCacheFactory.h"

#include "CachixCache.h"

namespace ekaci::plugins::caches {

sdk::SettingsSchema CachixCacheFactory::settings() const {
  using namespace sdk::settings;
  sdk::Setting url = string("cache_url", std::nullopt,
                            "The cache's binary-cache address, asked which paths it holds. Default: "
                            "https://<destination>.cachix.org.");
  url.minimum = 1;
  return {requiredString("destination", "Cachix cache name."),
          credentials("credentials", true,
                      "Where CACHIX_AUTH_TOKEN (and optionally CACHIX_SIGNING_KEY) come from, e.g. { cachix-token = "
                      "{ env_var = \"CACHIX_AUTH_TOKEN\" } }."),
          url, string("cachix_program", "cachix", "The cachix executable.")};
}

sdk::Result<std::unique_ptr<sdk::Cache>> CachixCacheFactory::create(const sdk::Value& config,
                                                                    sdk::HostServices& host) const {
  CachixCache::Settings s;
  const sdk::Value* destination = config.find("destination");
  if (destination == nullptr || !destination->isString() || destination->asString().empty()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "a cachix cache needs a destination (the cache name)");
  }
  s.name = destination->asString();
  for (char c : s.name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                        "'" + s.name + "' is not a Cachix cache name (lower-case letters, digits and '-')");
    }
  }
  s.cacheUrl = "https://" + s.name + ".cachix.org";
  if (const sdk::Value* url = config.find("cache_url"); url != nullptr && url->isString()) s.cacheUrl = url->asString();
  while (!s.cacheUrl.empty() && s.cacheUrl.back() == '/') s.cacheUrl.pop_back();
  if (const sdk::Value* program = config.find("cachix_program"); program != nullptr && program->isString()) {
    s.cachixProgram = program->asString();
  }
  if (const sdk::Value* credentials = config.find("credentials"); credentials != nullptr) s.credentials = *credentials;
  return std::unique_ptr<sdk::Cache>(std::make_unique<CachixCache>(std::move(s), host));
}

}  // namespace ekaci::plugins::caches
