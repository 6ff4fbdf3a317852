#pragma once

#include "NixBatchEvaluator.h"

namespace ekaci::plugins::evaluators {

// A Nix file (and optional attribute path) evaluated to a tree of derivations, recursing
// into attribute sets marked recurseForDerivations, like Hydra and nix-env do.
class LegacyEvaluator : public sdk::Evaluator {
 public:
  LegacyEvaluator(NixBatchEvaluator::Options options, sdk::HostServices& host) : batch_(std::move(options), host) {}
  sdk::Result<sdk::EvalSummary> evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) override;

 private:
  NixBatchEvaluator batch_;
};

}  // namespace ekaci::plugins::evaluators
