#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/InstanceLifecycle.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/services/ServiceHub.h"

namespace ekaci::forge {

// The forge plugin instances of the server, created once at start-up from the
// configuration's forge instances (config.forges: every [[forges]] block and what
// ForgeBlocks made of [[github_apps]], [[gitea_instances]], [[gitlab_instances]]), each
// guarded (GuardedForge) and started in that order; stopped in the reverse order when this
// object goes. Each instance answers webhooks at /<type>/webhook/<id>, and the first
// instance of a type also at /<type>/webhook.
//
// Ownership: instances and their HostServices live as long as this object, which the
// server destroys before it unloads plugins. Threading: read-only after create().
class ForgeInstances {
 public:
  struct Instance {
    std::string id;
    std::string type;
    std::vector<std::string> routes;
    std::unique_ptr<services::KernelHostServices> host;  // outlives `forge`: declared first
    std::unique_ptr<sdk::Forge> forge;
  };

  static sdk::Result<std::unique_ptr<ForgeInstances>> create(const config::ServerConfig& config,
                                                             const plugin_host::PluginRegistry& registry,
                                                             services::ServiceHub& hub);
  ~ForgeInstances();

  // The settings a forge instance's plugin gets: its block, and [security]'s one webhook
  // secret (and allow_insecure_webhooks) unless the instance has its own.
  static sdk::Value settingsOf(const config::ForgeInstanceConfig& forge, const config::ServerConfig& config);

  // Adds an instance (create() does; tests add their own forges).
  void add(std::unique_ptr<Instance> instance);
  Instance* find(const std::string& id);
  const std::vector<std::unique_ptr<Instance>>& all() const noexcept { return instances_; }
  bool empty() const noexcept { return instances_.empty(); }

 private:
  std::vector<std::unique_ptr<Instance>> instances_;
  plugin_host::InstanceLifecycle lifecycle_;
};

}  // namespace ekaci::forge
