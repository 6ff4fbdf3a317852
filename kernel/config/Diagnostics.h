#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Error.h"
#include "ekaci/sdk/SourceLocation.h"

namespace ekaci::config {

// Every problem found in a configuration, each with its file, line, key and code, so that
// an operator fixes them all in one pass instead of one per restart.
class Diagnostics {
 public:
  struct Entry {
    sdk::ErrorCode code;
    sdk::SourceLocation location;
    std::string key;  // dotted path, e.g. "web.port" or "caches[1].cache_type"
    std::string message;
  };

  void add(sdk::ErrorCode code, sdk::SourceLocation location, std::string key, std::string message);
  bool ok() const noexcept { return entries_.empty(); }
  const std::vector<Entry>& entries() const noexcept { return entries_; }

  // One line per entry: "ekaci.toml:3:1: error E2001 [web.adress]: unknown key 'adress' ...".
  std::string describe() const;
  // The first entry's code with every entry in the message; only valid when !ok().
  sdk::Error toError() const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace ekaci::config
