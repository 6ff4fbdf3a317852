#include "cachekit/CacheCredentials.h"

namespace ekaci::plugins::caches {

sdk::Result<sdk::Credentials> CacheCredentials::fetch(sdk::HostServices& host, const sdk::Value& block) {
  if (block.isNull()) return sdk::Credentials{};
  if (block.isString() && block.asString() == "none") return sdk::Credentials{};
  if (block.isTable() && block.size() == 1 && block.keys().front() == "none") return sdk::Credentials{};
  return host.secrets().resolve(block);
}

}  // namespace ekaci::plugins::caches
