#include "kernel/forge/CommandRateLimiter.h"

namespace ekaci::forge {

bool CommandRateLimiter::admit(const std::string& forgeId, const std::string& repository, const std::string& user) {
  const auto now = clock_.monotonic();
  const std::string key = forgeId + '\x1f' + repository + '\x1f' + user;
  std::lock_guard lock(mutex_);
  if (auto found = last_.find(key); found != last_.end() && now - found->second < interval_) return false;
  if (last_.size() >= maxEntries_) {
    for (auto it = last_.begin(); it != last_.end();) {
      it = now - it->second >= interval_ ? last_.erase(it) : std::next(it);
    }
  }
  last_[key] = now;
  return true;
}

}  // namespace ekaci::forge
