#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/PluginHost.h"

namespace ekaci::server {

// What the server and `ekaci review` both need before they can do anything: plugins loaded
// (bundled, then plugin_paths, then optional_plugin_paths) and the configuration validated
// against the kernel's schema and the plugins' own settings.
class Bootstrap {
 public:
  struct Prepared {
    std::unique_ptr<plugin_host::PluginHost> plugins;
    config::ServerConfig config;
  };

  // The plugins alone: bundled, then the configuration's plugin_paths and
  // optional_plugin_paths (when a configuration file is given or exists), nothing validated.
  static sdk::Result<std::unique_ptr<plugin_host::PluginHost>> loadPlugins(
      const std::optional<std::filesystem::path>& configPath, const std::filesystem::path& executable,
      const config::Environment& environment, sdk::Logger& logger);

  // `executable` locates the bundled plugin directory (<prefix>/lib/ekaci/plugins).
  static sdk::Result<Prepared> prepare(const std::optional<std::filesystem::path>& configPath,
                                       const std::filesystem::path& executable, const config::Environment& environment,
                                       sdk::Logger& logger);
};

}  // namespace ekaci::server
