#include "AtticCacheFactory.h"

#include "AtticCache.h"

namespace ekaci::plugins::caches {

sdk::SettingsSchema AtticCacheFactory::settings() const {
  using namespace sdk::settings;
  return {
      requiredString("destination",
                     "The cache's address: the Attic server and the cache name, "
                     "https://attic.example.com/my-cache."),
      credentials("credentials", true, "Where ATTIC_TOKEN comes from, e.g. { env = { vars = [\"ATTIC_TOKEN\"] } }."),
      string("attic_program", "attic", "The attic client executable.")};
}

sdk::Result<std::unique_ptr<sdk::Cache>> AtticCacheFactory::create(const sdk::Value& config,
                                                                   sdk::HostServices& host) const {
  AtticCache::Settings s;
  const sdk::Value* destination = config.find("destination");
  if (destination == nullptr || !destination->isString()) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "an attic cache needs a destination");
  }
  s.destination = destination->asString();
  while (!s.destination.empty() && s.destination.back() == '/') s.destination.pop_back();
  const auto scheme = s.destination.find("://");
  const auto slash = s.destination.rfind('/');
  if ((s.destination.rfind("http://", 0) != 0 && s.destination.rfind("https://", 0) != 0) ||
      scheme == std::string::npos || slash <= scheme + 2 || slash + 1 >= s.destination.size()) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                      "an attic destination is the cache's address, https://attic.example.com/my-cache (got '" +
                          s.destination + "')");
  }
  s.endpoint = s.destination.substr(0, slash + 1);
  s.cacheName = s.destination.substr(slash + 1);
  if (const sdk::Value* program = config.find("attic_program"); program != nullptr && program->isString()) {
    s.atticProgram = program->asString();
  }
  if (const sdk::Value* credentials = config.find("credentials"); credentials != nullptr) s.credentials = *credentials;
  return std::unique_ptr<sdk::Cache>(std::make_unique<AtticCache>(std::move(s), host));
}

}  // namespace ekaci::plugins::caches
