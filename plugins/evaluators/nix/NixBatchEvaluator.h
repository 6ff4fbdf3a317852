#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/HostServices.h"

namespace ekaci::plugins::evaluators {

// Evaluates a package set with Debian's Nix 2.8 and no helper binaries: attribute paths are
// described in batches by `nix-instantiate --eval --strict --json` worker processes (each
// with a memory limit), attribute sets marked recurseForDerivations are walked as they are
// discovered, and results stream to the caller as batches finish.
//
// One broken attribute never fails the evaluation: errors tryEval can catch are reported per
// attribute; a batch that dies of an error tryEval cannot catch (abort, infinite recursion,
// stack overflow, memory) is split in halves until the culprit is alone. Error messages are
// collected afterwards, one attribute at a time, so the evaluation itself does not pay for
// rendering them.
//
// The evaluated code is untrusted: workers get a minimal environment (no server secrets),
// import-from-derivation is off and, for files, evaluation is restricted to the checkout
// and the configured NIX_PATH.
class NixBatchEvaluator {
 public:
  struct Options {
    std::size_t batchSize = 100;
    bool restrictEval = true;
    bool allowImportFromDerivation = false;
    std::vector<std::string> nixPath;
    std::size_t maxErrorMessages = 500;
    std::chrono::seconds batchTimeout{900};
    std::string nixInstantiate = "nix-instantiate";
    // "auto": use nix-eval-jobs when it is on PATH; "never"; or a path to the program.
    std::string nixEvalJobs = "auto";
  };
  struct Root {
    std::vector<std::string> path;  // inside the file's value
    std::string label;              // prefix of reported attribute paths ("" or "checks.x86_64-linux")
  };

  NixBatchEvaluator(Options options, sdk::HostServices& host) : options_(std::move(options)), host_(host) {}

  // `mode` is "legacy" (target = a .nix file) or "flake" (target = the flake's directory).
  sdk::Result<sdk::EvalSummary> evaluate(const sdk::EvalRequest& request, const std::string& mode,
                                         const std::string& target, const std::vector<Root>& roots,
                                         const sdk::EvalSink& sink);

  // The first "error: ..." paragraph of Nix's stderr, without colour codes, bounded.
  static std::string errorMessage(const std::string& stderrText);

  // The nix-eval-jobs program to use for this evaluation, or "" for the built-in evaluator.
  std::string nixEvalJobsProgram() const;

 private:
  sdk::Result<sdk::EvalSummary> evaluateWithNixEvalJobs(const std::string& program, const sdk::EvalRequest& request,
                                                        const std::string& target, const std::vector<Root>& roots,
                                                        const sdk::EvalSink& sink);

  Options options_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::plugins::evaluators
