#pragma once

#include <filesystem>
#include <optional>

namespace ekaci::plugins::evaluators {

// Where the read buffer preloaded into the evaluator's nix processes is installed
// (preload/NixReadBuffer.c): nix-read-buffer.so in the directory above this plugin's own
// (lib/ekaci/ in an installation and in the build tree).
class NixReadBuffer {
 public:
  // The library, or nothing when it is not installed beside the plugin.
  static std::optional<std::filesystem::path> library();
};

}  // namespace ekaci::plugins::evaluators
