#pragma once

#include <cstdint>
#include <string>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

// Where a configuration value was written: file, 1-based line and column (0 when unknown).
struct EKACI_SDK_API SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool known() const noexcept { return line != 0; }
  // "file:line:column", or "file" when the position is unknown.
  std::string describe() const;
};

}  // namespace ekaci::sdk
