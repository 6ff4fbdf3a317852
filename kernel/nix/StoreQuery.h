#pragma once

#include <set>
#include <string>
#include <vector>

#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"
#include "kernel/nix/NixInvocation.h"

namespace ekaci::nix {

// Asks Nix, in one batch, which derivations of the closures of `roots` still have to be
// built: `nix-store --realise --dry-run` lists them ("will be built"); everything else is
// already valid or substitutable ("will be fetched"), which the scheduler records as Cached.
class StoreQuery {
 public:
  StoreQuery(sdk::ProcessRunner& processes, const NixInvocation& nix) : processes_(processes), nix_(nix) {}

  sdk::Result<std::set<std::string>> derivationsToBuild(const std::vector<std::string>& roots) const;
  // The part of `nix-store --realise --dry-run` output that lists derivations to build,
  // and the paths Nix says it does not know how to build (derivations not in the store).
  static std::set<std::string> parseDryRun(const std::string& output, std::set<std::string>* unknown = nullptr);

 private:
  sdk::ProcessRunner& processes_;
  const NixInvocation& nix_;
};

}  // namespace ekaci::nix
