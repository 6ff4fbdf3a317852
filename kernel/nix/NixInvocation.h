#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ekaci::nix {

// How eka-ci runs Nix's programs: which ones, with which options and environment, and the
// limits every build gets (Nix enforces them; the process runner does too).
struct NixInvocation {
  std::string nixStoreProgram = "nix-store";
  std::string nixProgram = "nix";
  std::vector<std::pair<std::string, std::string>> options;  // passed as --option NAME VALUE
  std::vector<std::string> passEnvironment;                  // see NixEnvironment
  std::chrono::seconds noOutputTimeout{1200};
  std::chrono::seconds maxDuration{14400};
  std::size_t maxLogBytes = std::size_t{64} << 20;  // per build log; Nix's max-log-size too
};

}  // namespace ekaci::nix
