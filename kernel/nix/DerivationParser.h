#pragma once

#include <filesystem>
#include <string_view>

#include "ekaci/sdk/Result.h"
#include "kernel/nix/Derivation.h"

namespace ekaci::nix {

// Parses .drv files directly, instead of asking `nix show-derivation` (one process per
// batch). Input is untrusted: every malformed, truncated or oversized file is an error
// (InvalidArgument) naming the byte offset, never a crash.
class DerivationParser {
 public:
  static constexpr std::size_t kMaxFileBytes = std::size_t{64} * 1024 * 1024;

  static sdk::Result<Derivation> parse(std::string_view text);
  static sdk::Result<Derivation> parseFile(const std::filesystem::path& path);
};

}  // namespace ekaci::nix
