#include "ekaci/sdk/SourceLocation.h"

namespace ekaci::sdk {

std::string SourceLocation::describe() const {
  if (!known()) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace ekaci::sdk
