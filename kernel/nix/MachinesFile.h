#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/nix/BuilderSpec.h"

namespace ekaci::nix {

// Reads remote builders in Nix's machines format: one machine per line, fields separated
// by whitespace, '-' or a missing field for the default, '#' starts a comment:
//
//   URI  SYSTEMS  SSH-KEY  MAX-JOBS  SPEED-FACTOR  SUPPORTED-FEATURES  MANDATORY-FEATURES  HOST-KEY
//
// SYSTEMS and the feature lists are comma-separated. A line that cannot be read is an
// error naming the file and line (ConfigInvalidValue); the scheduler does not start with a
// builder list it misunderstood.
class MachinesFile {
 public:
  static sdk::Result<std::vector<BuilderSpec>> parse(const std::string& text, const std::string& origin);
  static sdk::Result<std::vector<BuilderSpec>> read(const std::filesystem::path& path);
};

}  // namespace ekaci::nix
