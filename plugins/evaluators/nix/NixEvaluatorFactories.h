#pragma once

#include "ekaci/sdk/EvaluatorFactory.h"

namespace ekaci::plugins::evaluators {

class LegacyEvaluatorFactory : public sdk::EvaluatorFactory {
 public:
  std::string type() const override { return "legacy"; }
  std::string description() const override {
    return "A Nix file and attribute path, evaluated to a tree of derivations (recurseForDerivations).";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Evaluator>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

class FlakeChecksEvaluatorFactory : public sdk::EvaluatorFactory {
 public:
  std::string type() const override { return "flake-checks"; }
  std::string description() const override { return "checks.<system> (and optionally packages.<system>) of a flake."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Evaluator>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::plugins::evaluators
