#include "NixEvaluatorSettings.h"

namespace ekaci::plugins::evaluators {

sdk::SettingsSchema NixEvaluatorSettings::schema() {
  using namespace sdk::settings;
  return {
      integer("batch_size", 100, 1, 10000,
              "Smallest batch of attributes per worker process; large sets are cut into bigger batches."),
      boolean("restrict_eval", true, "Restrict evaluation to the checkout and nix_path (legacy files)."),
      boolean("allow_import_from_derivation", false, "Allow builds during evaluation (IFD)."),
      stringList("nix_path", "Search path entries (-I) the evaluation may use, e.g. nixpkgs=/path."),
      integer("max_error_messages", 500, 0, 1000000, "Failing attributes whose messages are collected."),
      integer("batch_timeout_seconds", 900, 1, 86400, "Wall-clock limit of one worker process."),
      string("nix_instantiate", "nix-instantiate", "The nix-instantiate program."),
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
  options.batchSize = static_cast<std::size_t>(integerOr("batch_size", 100));
  if (const sdk::Value* v = config.find("restrict_eval")) options.restrictEval = v->asBool();
  if (const sdk::Value* v = config.find("allow_import_from_derivation")) options.allowImportFromDerivation = v->asBool();
  if (const sdk::Value* v = config.find("nix_path")) options.nixPath = v->asStringList();
  options.maxErrorMessages = static_cast<std::size_t>(integerOr("max_error_messages", 500));
  options.batchTimeout = std::chrono::seconds(integerOr("batch_timeout_seconds", 900));
  if (const sdk::Value* v = config.find("nix_instantiate"); v != nullptr && !v->asString().empty()) {
    options.nixInstantiate = v->asString();
  }
  if (const sdk::Value* v = config.find("nix_eval_jobs"); v != nullptr && !v->asString().empty()) {
    options.nixEvalJobs = v->asString();
  }
  if (options.batchSize == 0) return sdk::Error(sdk::ErrorCode::ConfigInvalidValue, "batch_size must be positive");
  return options;
}

}  // namespace ekaci::plugins::evaluators
