#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/HostServices.h"

namespace ekaci::plugins::evaluators {

// Evaluates a package set with Debian's Nix 2.8 and no helper binaries. Each batch of
// attribute paths goes to one long-lived `nix repl` worker process (with a memory limit) as
// one command per attribute: the package set is imported once per batch, the thunks it
// evaluated are shared by every later command, and an error tryEval cannot catch (abort, a
// missing attribute, infinite recursion) fails only its own command. Attribute sets marked
// recurseForDerivations become new batches as they are discovered; results stream to the
// caller as batches finish.
//
// Every attribute whose derivation evaluates is a job: its metadata (pname, version,
// licenses, maintainers, passthru.tests) is evaluated field by field when it fails, and a
// failing field is a warning on the job. A worker that dies (stack overflow, memory, time)
// is restarted after the command it was running, which alone is then the culprit.
// Messages of errors tryEval caught are collected in a second pass, for at most
// max_error_messages attributes, so the evaluation does not pay for rendering them.
//
// The evaluated code is untrusted: workers get a minimal environment (no server secrets),
// import-from-derivation is off and, for files, evaluation is restricted to the checkout,
// the configured NIX_PATH and allowed_uris. Command and result lines carry a per-run nonce,
// so output printed by the evaluated code cannot pose as a result.
class NixBatchEvaluator {
 public:
  struct Options {
    std::size_t batchSize = 32;
    bool restrictEval = true;
    bool allowImportFromDerivation = false;
    std::vector<std::string> nixPath;
    std::size_t maxErrorMessages = 500;
    std::chrono::seconds batchTimeout{900};
    std::string nix = "nix";
    bool readBuffer = true;  // preload NixReadBuffer into nix (when it is installed)
    std::vector<std::string> allowedUris;
    std::string experimentalFeatures = "nix-command flakes";
    std::string cacheDirectory;  // "": <state directory>/nix-cache
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

  // Nix's error from its stderr: from the first "error:", without colour codes, bounded.
  static std::string errorMessage(const std::string& stderrText);
  // `message` with the checkout's absolute path removed, so that paths read from the
  // repository root ("pkgs/a.nix:3:5") and are the same for base and head.
  static std::string relativeToCheckout(std::string message, const std::string& checkoutDirectory);
  // The helper expression as one repl line (comment lines dropped).
  static std::string helperLine();

  // The nix-eval-jobs program to use for this evaluation, or "" for the built-in evaluator.
  std::string nixEvalJobsProgram() const;

 private:
  sdk::Result<sdk::EvalSummary> evaluateWithNixEvalJobs(const std::string& program, const sdk::EvalRequest& request,
                                                        const std::string& target, const std::vector<Root>& roots,
                                                        const sdk::EvalSink& sink);

  std::vector<std::pair<std::string, std::string>> workerEnvironment() const;
  // Nix options every back end gets: features, IFD, restricted evaluation, allowed URIs, -I.
  std::vector<std::string> restrictionArguments(const sdk::EvalRequest& request) const;

  Options options_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::plugins::evaluators
