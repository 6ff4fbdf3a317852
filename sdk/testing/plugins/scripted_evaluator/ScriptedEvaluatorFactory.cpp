#include "ScriptedEvaluatorFactory.h"

#include "ScriptedEvaluator.h"

namespace ekaci::reference {

sdk::Result<std::unique_ptr<sdk::Evaluator>> ScriptedEvaluatorFactory::create(const sdk::Value& /*config*/,
                                                                              sdk::HostServices& /*host*/) const {
  return std::unique_ptr<sdk::Evaluator>(std::make_unique<ScriptedEvaluator>());
}

}  // namespace ekaci::reference
