#pragma once

#include <string>
#include <vector>

namespace ekaci::config {

// security.allowed_hook_commands: the one rule both the reading of a repository's
// configuration and the run of a hook apply. A hook's program is its command's first word;
// it is allowed when it is listed exactly and contains no '/' (so a path cannot stand in
// for a listed name).
class HookAllowList {
 public:
  static bool allows(const std::vector<std::string>& allowedCommands, const std::string& program);
};

}  // namespace ekaci::config
