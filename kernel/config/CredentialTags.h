#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Setting.h"

namespace ekaci::config {

// The credential sources the Eka CI manual documents, with the settings of each, so that
// a credentials block is checked at start-up even for sources whose plugin is not
// installed. `credentials = "instance-metadata"` (a bare string) is allowed for the tags
// marked bareAllowed.
class CredentialTags {
 public:
  struct Tag {
    std::string name;
    std::string canonical;  // the plugin type that serves it (aliases share one)
    bool bareAllowed = false;
    sdk::SettingsSchema settings;
  };

  static const std::vector<Tag>& all();
  static const Tag* find(const std::string& name);
  static std::vector<std::string> names();
};

}  // namespace ekaci::config
