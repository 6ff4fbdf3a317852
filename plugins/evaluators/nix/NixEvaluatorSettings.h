#pragma once

#include "NixBatchEvaluator.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Setting.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::plugins::evaluators {

// Settings shared by the legacy and flake-checks evaluators.
class NixEvaluatorSettings {
 public:
  static sdk::SettingsSchema schema();
  static sdk::Result<NixBatchEvaluator::Options> read(const sdk::Value& config);
};

}  // namespace ekaci::plugins::evaluators
