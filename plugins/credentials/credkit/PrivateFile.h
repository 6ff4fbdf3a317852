#pragma once

#include <cstddef>
#include <filesystem>

#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::plugins::credentials {

// Reads a file that holds secrets: a regular file (symbolic links followed), not readable or
// writable by group or others, at most `maxBytes`. Errors: SecretFileUnreadable (missing, not
// a regular file), SecretFileInsecure (its mode, with the chmod that fixes it), SecretParse
// (too large). The text is returned as a Secret; the read buffer is wiped.
class PrivateFile {
 public:
  static constexpr std::size_t kMaxBytes = std::size_t{1} << 20;
  static sdk::Result<sdk::Secret> read(const std::filesystem::path& path, std::size_t maxBytes = kMaxBytes);
};

}  // namespace ekaci::plugins::credentials
