#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "ekaci/sdk/ProcessRunner.h"
#include "kernel/nix/BuildExecutor.h"
#include "kernel/nix/BuildLogStore.h"
#include "kernel/nix/BuildOutcome.h"
#include "kernel/nix/BuilderSpec.h"
#include "kernel/nix/NixInvocation.h"

namespace ekaci::nix {

// Builds one derivation with `nix-store --realise`, on this machine or on one remote
// builder (then with --max-jobs 0 and --builders naming that machine alone). Nix gets
// --max-silent-time and --timeout; the process runner enforces both as well and kills the
// whole process group. Every line of output goes to the log as it arrives.
class NixBuildExecutor final : public BuildExecutor {
 public:
  NixBuildExecutor(sdk::ProcessRunner& processes, const NixInvocation& nix) : processes_(processes), nix_(nix) {}

  std::vector<std::string> command(const std::vector<std::string>& drvPaths, const BuilderSpec& builder) const;
  BuildOutcome build(const std::string& drvPath, const BuilderSpec& builder, BuildLogStore::Writer& log,
                     const std::atomic<bool>& cancel) const;

  // Builds independent derivations in one `nix-store --realise --keep-going` run, one
  // after the other, saving a Nix start-up per derivation. Nix's structured log
  // (--log-format internal-json) says which line and which failure belongs to which
  // derivation; whether each one succeeded is then checked on its outputs.
  // When Nix builds them one at a time (a local batch), each success is told to `built` as
  // soon as Nix counts it done, before the batch ends; failures come with the batch's end.
  std::vector<BuildOutcome> buildBatch(const std::vector<BatchItem>& items, const BuilderSpec& builder,
                                       const std::atomic<bool>& cancel, const OnBuilt& built = {}) const;

  // BuildExecutor: one item as build(), more as buildBatch().
  std::vector<BuildOutcome> run(const std::vector<BatchItem>& items, const BuilderSpec& builder,
                                const std::atomic<bool>& cancel, const OnBuilt& built) const override;
  // `nix store ping --store URI`: true when the builder answers within 15 s.
  bool ping(const BuilderSpec& builder) const override;

 private:
  sdk::ProcessRunner& processes_;
  const NixInvocation& nix_;
};

}  // namespace ekaci::nix
