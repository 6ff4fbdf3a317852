#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/PluginInstance.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugin_host {

// The started plugin instances of one owner (the forges, the caches, the evaluators, the
// credential sources), stopped in the reverse order of their start — by stopAll() or when
// the lifecycle goes, which its owner arranges to happen before the instances are
// destroyed. The instances are guarded (Guarded*), so start() and stop() do not throw.
//
// Threading: start() and stopAll() are called by the owner, never at once.
class InstanceLifecycle {
 public:
  InstanceLifecycle() = default;
  InstanceLifecycle(const InstanceLifecycle&) = delete;
  InstanceLifecycle& operator=(const InstanceLifecycle&) = delete;
  ~InstanceLifecycle() { stopAll(); }

  // Starts the instance; on success it is stopped with the others. The error names it.
  sdk::Result<void> start(sdk::PluginInstance& instance, const std::string& name);
  void stopAll() noexcept;
  std::size_t started() const noexcept { return started_.size(); }

 private:
  std::vector<sdk::PluginInstance*> started_;
};

}  // namespace ekaci::plugin_host
