#pragma once

#include <optional>
#include <string>

#include "kernel/plugin_host/PluginRegistry.h"

namespace ekaci::plugin_host {

// The settings every loaded plugin declares, for people: where its block goes in
// ekaci.toml, what it does, and its settings as a table — the second half of
// docs/CONFIG.md, `eka-ci-server --print-config-reference` and `ekaci plugins describe TYPE`.
// A plugin's declared settings are the only schema for its block.
class PluginDocumentation {
 public:
  static std::string markdown(const PluginRegistry& registry);
  // One type, of whichever kind provides it; nothing when no loaded plugin does.
  static std::optional<std::string> describe(const PluginRegistry& registry, const std::string& type);
};

}  // namespace ekaci::plugin_host
