#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"
#include "kernel/nix/NixInvocation.h"

namespace ekaci::nix {

// The size of a store path: its own NAR and its whole runtime closure, in bytes.
struct PathSizes {
  std::int64_t narSize = 0;
  std::int64_t closureSize = 0;
};

// Asks the local Nix store how big outputs are. Paths that are not valid in the store (never
// built, garbage-collected, only substitutable) are left out of the answer: their validity is
// checked locally first, so no binary cache is asked.
class StorePathInfo {
 public:
  StorePathInfo(sdk::ProcessRunner& processes, const NixInvocation& nix) : processes_(processes), nix_(nix) {}

  sdk::Result<std::map<std::string, PathSizes>> sizes(const std::vector<std::string>& paths) const;

  // `nix path-info --json --closure-size` output: one object per path. ProtocolMalformed when
  // it is not that; entries marked invalid are skipped.
  static sdk::Result<std::map<std::string, PathSizes>> parse(const std::string& json);
  // `nix-store --check-validity --print-invalid` output: the invalid paths.
  static std::vector<std::string> parseInvalid(const std::string& output);

 private:
  sdk::Result<sdk::ProcessResult> run(std::vector<std::string> argv, const std::vector<std::string>& paths) const;

  sdk::ProcessRunner& processes_;
  const NixInvocation& nix_;
};

}  // namespace ekaci::nix
