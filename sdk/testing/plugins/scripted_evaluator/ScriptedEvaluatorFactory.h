#pragma once

#include "ekaci/sdk/EvaluatorFactory.h"

namespace ekaci::reference {

class ScriptedEvaluatorFactory : public sdk::EvaluatorFactory {
 public:
  std::string type() const override { return "scripted"; }
  std::string description() const override { return "Reads attributes from a text script in the checkout (for tests)."; }
  sdk::SettingsSchema settings() const override { return {}; }
  sdk::Result<std::unique_ptr<sdk::Evaluator>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::reference
