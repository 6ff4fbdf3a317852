#pragma once

#include "NixBatchEvaluator.h"

namespace ekaci::plugins::evaluators {

// The checks.<system>.* (and, when enabled, packages.<system>.*) of a flake, evaluated with
// Nix 2.8's experimental flake support. Reported attribute paths keep the prefix:
// "checks.x86_64-linux.tests".
class FlakeChecksEvaluator : public sdk::Evaluator {
 public:
  FlakeChecksEvaluator(NixBatchEvaluator::Options options, bool includePackages, sdk::HostServices& host)
      : batch_(std::move(options), host), includePackages_(includePackages) {}
  sdk::Result<sdk::EvalSummary> evaluate(const sdk::EvalRequest& request, const sdk::EvalSink& sink) override;

  // The system this machine builds for natively ("x86_64-linux").
  static std::string hostSystem();

 private:
  NixBatchEvaluator batch_;
  bool includePackages_;
};

}  // namespace ekaci::plugins::evaluators
