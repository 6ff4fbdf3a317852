#include "ekaci/sdk/PluginEntry.h"

#include "ScriptedEvaluatorFactory.h"

namespace {
ekaci::sdk::Result<void> registerPlugin(ekaci::sdk::Registrar& registrar) {
  return registrar.addEvaluator(std::make_unique<ekaci::reference::ScriptedEvaluatorFactory>());
}
}  // namespace

EKACI_PLUGIN("reference-scripted-evaluator", EKACI_SDK_VERSION, registerPlugin)
