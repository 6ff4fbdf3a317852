#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "kernel/nix/BuildLogStore.h"
#include "kernel/nix/BuildOutcome.h"
#include "kernel/nix/BuilderSpec.h"

namespace ekaci::nix {

// Where the scheduler's builds run. One call builds a batch of independent derivations on
// one builder and returns an outcome per item; successes may be told earlier, one by one,
// through `built` (each item at most once, on the calling thread). Implementations: Nix
// itself (NixBuildExecutor: local batches and remote machines), stand-ins in benchmarks.
class BuildExecutor {
 public:
  // One item of a batch: the derivation, its output paths and its log.
  struct BatchItem {
    std::string drvPath;
    std::vector<std::string> outputs;
    BuildLogStore::Writer* log = nullptr;
  };
  using OnBuilt = std::function<void(std::size_t item, const BuildOutcome& outcome)>;

  virtual ~BuildExecutor() = default;
  virtual std::vector<BuildOutcome> run(const std::vector<BatchItem>& items, const BuilderSpec& builder,
                                        const std::atomic<bool>& cancel, const OnBuilt& built) const = 0;
  // True when the builder answers.
  virtual bool ping(const BuilderSpec& builder) const = 0;
};

}  // namespace ekaci::nix
