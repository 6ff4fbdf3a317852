#include "kernel/plugin_host/InstanceLifecycle.h"

namespace ekaci::plugin_host {

sdk::Result<void> InstanceLifecycle::start(sdk::PluginInstance& instance, const std::string& name) {
  auto started = instance.start();
  if (!started) return std::move(started).error().withContext("starting " + name);
  started_.push_back(&instance);
  return sdk::success();
}

void InstanceLifecycle::stopAll() noexcept {
  while (!started_.empty()) {
    sdk::PluginInstance* last = started_.back();
    started_.pop_back();
    try {
      last->stop();
    } catch (...) {  // NOLINT(bugprone-empty-catch): guarded instances do not throw; a bare one must not end shutdown
    }
  }
}

}  // namespace ekaci::plugin_host
