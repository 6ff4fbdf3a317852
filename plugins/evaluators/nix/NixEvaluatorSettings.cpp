#include "NixEvaluatorSettings.h"

#include <cctype>

namespace ekaci::plugins::evaluators {

sdk::SettingsSchema NixEvaluatorSettings::schema() {
  using namespace sdk::settings;
  return {
      integer("batch_size", 32, 1, 10000,
              "Commands (one per attribute) a worker process has in flight; after a worker dies they are run again."),
      boolean("restrict_eval", true, "Restrict evaluation (files, flakes, nix-eval-jobs) to the checkout and nix_path: no other file, no getEnv, no fetch outside allowed_uris."),
      stringList("allowed_uris",
                 "URI prefixes restricted evaluation may fetch (Nix's allowed-uris), e.g. "
                 "\"https://github.com/NixOS/\"; locked fetchTree inputs already in cache_dir need none."),
      string("experimental_features", "nix-command flakes",
             "Nix experimental features enabled for evaluation (flakes: builtins.fetchTree and flake.lock pins)."),
      string("cache_dir", "",
             "Nix's cache for evaluation (fetched trees, git checkouts) is cache_dir/nix; share a warmed one to "
             "evaluate pinned inputs offline. Default: nix-cache in the evaluator's state directory."),
      boolean("allow_import_from_derivation", false, "Allow builds during evaluation (IFD)."),
      stringList("nix_path", "Search path entries (-I) the evaluation may use, e.g. nixpkgs=/path."),
      integer("max_error_messages", 500, 0, 1000000, "Failing attributes whose messages are collected."),
      integer("batch_timeout_seconds", 900, 1, 86400,
              "Longest a worker may stay silent on one attribute before it is stopped (the attribute is then an error)."),
      boolean("read_buffer", true,
              "Preload eka-ci's read buffer into nix: Nix 2.8 reads a file one byte per system call to quote it in "
              "an error message (about 0.5 s per error in a 1 MB file); the buffer makes that a few reads."),
      string("nix", "nix", "The nix program (its repl evaluates; one long-lived process per worker and batch)."),
      string("nix_eval_jobs", "auto",
             "\"auto\": use nix-eval-jobs for legacy jobs when it is on PATH; \"never\"; or its path."),
  };
}

sdk::Result<NixBatchEvaluator::Options> NixEvaluatorSettings::read(const sdk::Value& config) {
  NixBatchEvaluator::Options options;
  auto integerOr = [&](const char* key, std::int64_t fallback) {
    const sdk::Value* v = config.find(key);
    return v != nullptr && v->isInteger() ? v->asInteger() : fallback;
  };
  options.batchSize = static_cast<std::size_t>(integerOr("batch_size", 32));
  if (const sdk::Value* v = config.find("restrict_eval")) options.restrictEval = v->asBool();
  if (const sdk::Value* v = config.find("allow_import_from_derivation")) options.allowImportFromDerivation = v->asBool();
  if (const sdk::Value* v = config.find("nix_path")) options.nixPath = v->asStringList();
  options.maxErrorMessages = static_cast<std::size_t>(integerOr("max_error_messages", 500));
  options.batchTimeout = std::chrono::seconds(integerOr("batch_timeout_seconds", 900));
  if (const sdk::Value* v = config.find("nix"); v != nullptr && !v->asString().empty()) options.nix = v->asString();
  if (const sdk::Value* v = config.find("read_buffer")) options.readBuffer = v->asBool();
  if (const sdk::Value* v = config.find("allowed_uris")) options.allowedUris = v->asStringList();
  if (const sdk::Value* v = config.find("experimental_features")) options.experimentalFeatures = v->asString();
  if (const sdk::Value* v = config.find("cache_dir")) options.cacheDirectory = v->asString();
  for (char c : options.experimentalFeatures) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ' ')) {
      return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                        "experimental_features: '" + options.experimentalFeatures + "' is not a list of feature names");
    }
  }
  if (const sdk::Value* v = config.find("nix_eval_jobs"); v != nullptr && !v->asString().empty()) {
    options.nixEvalJobs = v->asString();
  }
  if (options.batchSize == 0) return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "batch_size must be positive");
  return options;
}

}  // namespace ekaci::plugins::evaluators
