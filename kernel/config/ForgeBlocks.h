#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Value.h"
#include "kernel/config/Diagnostics.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"

namespace ekaci::config {

// Eka CI's spellings of forge instances — [[github_apps]], [[gitea_instances]],
// [[gitlab_instances]] and their environment-only forms — translated into the generic
// [[forges]] instances (type, id, settings) that the forge plugins' declared settings
// validate. The kernel knows only the names the manual uses (blocks, variables, the forge
// type each one means), never a forge's settings: a block's tables are handed over as they
// were written.
class ForgeBlocks {
 public:
  struct Block {
    std::string name;        // top-level key, e.g. "gitea_instances"
    std::string forgeType;   // the plugin type that reads it
    std::string gatherInto;  // non-empty: every table becomes one entry of this list setting of a single instance
    std::string idFrom;      // per-table instances: the first is named after the type, the others by this setting
    // The manual's configuration by environment alone: made when the block is absent and
    // every `required` variable is set; `settings` name the settings taken from variables.
    std::vector<std::string> required;
    std::vector<std::pair<std::string, std::string>> settings;  // setting <- variable (when set)
    // A lone table that sets none of `loneUnless` takes `loneSetting` from `loneVariable`.
    std::string loneSetting, loneVariable;
    std::vector<std::string> loneUnless;
  };

  static const std::vector<Block>& all();
  // The forge types the manual documents (a missing plugin of one is named as such).
  static std::vector<std::string> documentedTypes();

  // The instances the blocks of `root` (already read, not yet validated beyond being lists
  // of tables) and the environment describe, in the order of all().
  static std::vector<ForgeInstanceConfig> translate(const sdk::Value& root, const Environment& environment,
                                                    Diagnostics& diagnostics);
};

}  // namespace ekaci::config
