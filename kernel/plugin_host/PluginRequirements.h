#pragma once

#include "kernel/config/Diagnostics.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/PluginRegistry.h"

namespace ekaci::plugin_host {

// The second stage of configuration checking, once plugins are loaded: every forge, cache
// and credential source the configuration names must be provided by a loaded plugin, and
// every plugin block must satisfy that plugin's declared settings. Nothing starts
// half-configured: all problems are reported together.
class PluginRequirements {
 public:
  static config::Diagnostics check(const config::ServerConfig& config, const PluginRegistry& registry);
};

}  // namespace ekaci::plugin_host
