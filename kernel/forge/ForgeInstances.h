#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/services/ServiceHub.h"

namespace ekaci::forge {

// The forge plugin instances of the server, created once at start-up from the
// configuration: every [[forges]] block, and one "github" instance for the manual's
// [[github_apps]] (or, with none configured, for GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY in the
// environment), and one "gitea" / "gitlab" instance per [[gitea_instances]] /
// [[gitlab_instances]] block (ids "gitea" and "gitlab" for the first, the domain for the others). Each instance answers
// webhooks at /<type>/webhook/<id>, and the first instance of a type also at /<type>/webhook.
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
                                                             services::ServiceHub& hub,
                                                             const config::Environment& environment);
  ~ForgeInstances();

  // The settings the github forge instance gets from [[github_apps]] and [security];
  // Null when no GitHub App is configured.
  static sdk::Value githubSettings(const config::ServerConfig& config, const config::Environment& environment);
  // The settings a gitea or gitlab forge instance gets from its [[gitea_instances]] or
  // [[gitlab_instances]] block and [security].
  static sdk::Value domainSettings(const config::ForgeDomainConfig& instance, const config::ServerConfig& config);

  // Adds an instance (create() does; tests add their own forges).
  void add(std::unique_ptr<Instance> instance);
  Instance* find(const std::string& id);
  const std::vector<std::unique_ptr<Instance>>& all() const noexcept { return instances_; }
  bool empty() const noexcept { return instances_.empty(); }

 private:
  std::vector<std::unique_ptr<Instance>> instances_;
};

}  // namespace ekaci::forge
