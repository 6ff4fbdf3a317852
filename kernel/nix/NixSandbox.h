#pragma once

#include <string>

#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::nix {

// Whether Nix runs builders the way untrusted code must run: in its sandbox (no network
// unless fixed-output, no file outside the inputs) and, when builds run as root, as one of
// the unprivileged build users. Read from `nix show-config` as the builds will see it
// (nix.conf plus the --option settings eka-ci passes).
class NixSandbox {
 public:
  struct Status {
    bool sandbox = false;          // sandbox = true (or relaxed)
    std::string buildUsersGroup;   // "" when builds run as the calling user
    bool runsAsRoot = false;
    // Empty when builds are confined; otherwise what is missing, for the operator.
    std::string problem;
  };

  // `nixOptions` are the NAME/VALUE settings builds get (builders.nix_options).
  static sdk::Result<Status> inspect(sdk::ProcessRunner& processes, const std::string& nixProgram,
                                     const std::vector<std::pair<std::string, std::string>>& nixOptions,
                                     const std::vector<std::pair<std::string, std::string>>& environment);
  // The same from `nix show-config` output ("name = value" lines).
  static Status fromShowConfig(const std::string& text, bool runsAsRoot);
};

}  // namespace ekaci::nix
