#include "kernel/plugin_host/GuardedCache.h"

namespace ekaci::plugin_host {

sdk::Result<void> GuardedCache::start() {
  return guard_.call<void>("start", [&] { return inner_->start(); });
}

void GuardedCache::stop() {
  (void)guard_.call<void>("stop", [&] {
    inner_->stop();
    return sdk::success();
  });
}

sdk::Result<sdk::CachePushResult> GuardedCache::push(const sdk::CachePushRequest& request) {
  return guard_.call<sdk::CachePushResult>("push", [&] { return inner_->push(request); });
}

sdk::Result<std::vector<bool>> GuardedCache::contains(const std::vector<std::string>& storePaths) {
  return guard_.call<std::vector<bool>>("contains", [&] { return inner_->contains(storePaths); });
}

std::string GuardedCache::describe() const {
  return guard_.value("describe", guard_.instance(), [&] { return inner_->describe(); });
}

}  // namespace ekaci::plugin_host
