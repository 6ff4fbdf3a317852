#pragma once

#include <filesystem>
#include <string>

#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::config {

// Reads TOML into the SDK's Value tree, keeping the file, line and column of every value
// and table keys in the order they were written. Accepts the multi-line inline tables that
// Eka CI's documented examples use (`credentials = { vault = {` ... `} }`).
class TomlReader {
 public:
  static sdk::Result<sdk::Value> parse(const std::string& text, const std::string& sourceName);
  static sdk::Result<sdk::Value> readFile(const std::filesystem::path& path);
};

}  // namespace ekaci::config
