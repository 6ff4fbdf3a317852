#include "NixEvaluatorFactories.h"
#include "ekaci/sdk/PluginEntry.h"

namespace ekaci::plugins::evaluators {
ekaci::sdk::Result<void> registerNixEvaluators(ekaci::sdk::Registrar& registrar) {
  if (auto added = registrar.addEvaluator(std::make_unique<LegacyEvaluatorFactory>()); !added) return added;
  return registrar.addEvaluator(std::make_unique<FlakeChecksEvaluatorFactory>());
}
}  // namespace ekaci::plugins::evaluators

EKACI_PLUGIN("evaluators-nix", EKACI_SDK_VERSION, ekaci::plugins::evaluators::registerNixEvaluators)
