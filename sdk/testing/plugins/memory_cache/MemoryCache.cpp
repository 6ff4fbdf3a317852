#include "MemoryCache.h"

namespace ekaci::reference {

sdk::Result<sdk::CachePushResult> MemoryCache::push(const sdk::CachePushRequest& request) {
  std::lock_guard lock(mutex_);
  sdk::CachePushResult result;
  for (const auto& path : request.storePaths) {
    if (!path.starts_with("/nix/store/")) {
      return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a store path: " + path);
    }
    if (paths_.insert(path).second) {
      ++result.pushed;
    } else {
      ++result.present;
    }
  }
  return result;
}

sdk::Result<std::vector<bool>> MemoryCache::contains(const std::vector<std::string>& storePaths) {
  std::lock_guard lock(mutex_);
  std::vector<bool> out;
  out.reserve(storePaths.size());
  for (const auto& path : storePaths) out.push_back(paths_.count(path) != 0);
  return out;
}

}  // namespace ekaci::reference
