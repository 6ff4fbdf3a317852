#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Setting.h"
#include "ekaci/sdk/Value.h"
#include "kernel/config/Diagnostics.h"
#include "kernel/config/Environment.h"

namespace ekaci::config {

// Checks a Value tree against a declared schema: unknown keys (with a suggestion), types,
// ranges, choices, required keys and credential blocks. Fills in defaults and applies
// environment overrides, so that after a clean run every declared key is present.
class SettingsValidator {
 public:
  SettingsValidator(const Environment& environment, Diagnostics& diagnostics)
      : environment_(environment), diagnostics_(diagnostics) {}

  // Credential source types provided by loaded plugins beyond the documented ones; their
  // blocks are accepted here and checked against the plugin's own settings later.
  void allowCredentialSources(std::vector<std::string> types) { pluginCredentialSources_ = std::move(types); }

  // `table` must be a table; `path` is its dotted name ("" for the root).
  void validateTable(const sdk::SettingsSchema& schema, sdk::Value& table, const std::string& path, bool open = false);

  // Checks a credentials block; on success the block is left as written.
  void validateCredentials(sdk::Value& value, const std::string& path);

 private:
  void validateValue(const sdk::Setting& setting, sdk::Value& value, const std::string& path);
  void applyEnvironment(const sdk::Setting& setting, sdk::Value& table, const std::string& path);
  bool checkType(const sdk::Setting& setting, const sdk::Value& value, const std::string& path);

  const Environment& environment_;
  Diagnostics& diagnostics_;
  std::vector<std::string> pluginCredentialSources_;
};

}  // namespace ekaci::config
