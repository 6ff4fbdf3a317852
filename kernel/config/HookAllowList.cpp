#include "kernel/config/HookAllowList.h"

#include <algorithm>

namespace ekaci::config {

bool HookAllowList::allows(const std::vector<std::string>& allowedCommands, const std::string& program) {
  return !program.empty() && program.find('/') == std::string::npos &&
         std::find(allowedCommands.begin(), allowedCommands.end(), program) != allowedCommands.end();
}

}  // namespace ekaci::config
