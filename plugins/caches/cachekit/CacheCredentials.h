#pragma once

#include "ekaci/sdk/Credentials.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::plugins::caches {

// The credentials of a cache block, asked for at each push (so rotation needs no restart):
// none when the block has no `credentials` (the host resolves `none` to none as well).
class CacheCredentials {
 public:
  static sdk::Result<sdk::Credentials> fetch(sdk::HostServices& host, const sdk::Value& credentialBlock);
};

}  // namespace ekaci::plugins::caches
