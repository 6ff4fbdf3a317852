#include "cachekit/CacheCredentials.h"

namespace ekaci::plugins::caches {

sdk::Result<sdk::Credentials> CacheCredentials::fetch(sdk::HostServices& host, const sdk::Value& block) {
  if (block.isNull()) return sdk::Credentials{};
  return host.secrets().resolve(block);  // the kernel's resolver answers `none` itself
}

}  // namespace ekaci::plugins::caches
