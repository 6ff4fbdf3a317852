#pragma once

#include "ekaci/sdk/Setting.h"

namespace ekaci::config {

// The declared settings of ekaci.toml: every server key the Eka CI manual documents, with
// its type, default and range, plus eka-ci's own additions ([[forges]], plugin_paths,
// state_dir). Validation, --print-default-config and docs/CONFIG.md all come from this.
class ServerSchema {
 public:
  static sdk::SettingsSchema settings();
  // Forge types the configuration may name before any plugin is loaded.
};

}  // namespace ekaci::config
