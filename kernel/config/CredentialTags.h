#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ekaci::config {

// The names of the credential sources the Eka CI manual documents — only their names, the
// plugin type that serves each (`systemd` is `systemd-credential`) and whether the bare form
// (`credentials = "instance-metadata"`) is allowed — so that a misspelt tag gets a
// suggestion and a documented one whose plugin is missing is named as such. Their settings
// are the plugins' own (PluginRequirements checks them against the loaded plugin).
class CredentialTags {
 public:
  struct Tag {
    std::string name;
    std::string canonical;  // the plugin type that serves it (aliases share one)
    bool bareAllowed = false;
  };

  static const std::vector<Tag>& all();
  static const Tag* find(const std::string& name);
  static std::vector<std::string> names();
};

}  // namespace ekaci::config
