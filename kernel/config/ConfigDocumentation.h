#pragma once

#include <string>

#include "ekaci/sdk/Setting.h"

namespace ekaci::config {

// Renders a settings schema for people: the documented defaults as a TOML file
// (--print-default-config) and a Markdown reference (docs/CONFIG.md).
class ConfigDocumentation {
 public:
  static std::string defaultToml(const sdk::SettingsSchema& schema);
  static std::string markdownReference(const sdk::SettingsSchema& schema);
  // The stable error codes as a Markdown table (docs/ERRORS.md, --list-error-codes).
  static std::string errorCodeTable();
};

}  // namespace ekaci::config
