#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Cache.h"

namespace ekaci::plugins::caches {

// Splits a push by what the cache already holds.
class PresentPaths {
 public:
  // The paths `present` marks false (in order); the others are counted in `result.present`.
  static std::vector<std::string> missing(const std::vector<std::string>& paths, const std::vector<bool>& present,
                                          sdk::CachePushResult& result);
};

}  // namespace ekaci::plugins::caches
