#include "NixEvaluatorFactories.h"

#include "FlakeChecksEvaluator.h"
#include "LegacyEvaluator.h"
#include "NixEvaluatorSettings.h"

namespace ekaci::plugins::evaluators {

sdk::SettingsSchema LegacyEvaluatorFactory::settings() const { return NixEvaluatorSettings::schema(); }

sdk::Result<std::unique_ptr<sdk::Evaluator>> LegacyEvaluatorFactory::create(const sdk::Value& config,
                                                                            sdk::HostServices& host) const {
  auto options = NixEvaluatorSettings::read(config);
  if (!options) return std::move(options).error();
  return std::unique_ptr<sdk::Evaluator>(std::make_unique<LegacyEvaluator>(std::move(options).value(), host));
}

sdk::SettingsSchema FlakeChecksEvaluatorFactory::settings() const {
  auto schema = NixEvaluatorSettings::schema();
  schema.push_back(sdk::settings::boolean("include_packages", false, "Also evaluate packages.<system>."));
  return schema;
}

sdk::Result<std::unique_ptr<sdk::Evaluator>> FlakeChecksEvaluatorFactory::create(const sdk::Value& config,
                                                                                 sdk::HostServices& host) const {
  auto options = NixEvaluatorSettings::read(config);
  if (!options) return std::move(options).error();
  const sdk::Value* packages = config.find("include_packages");
  return std::unique_ptr<sdk::Evaluator>(std::make_unique<FlakeChecksEvaluator>(
      std::move(options).value(), packages != nullptr && packages->asBool(), host));
}

}  // namespace ekaci::plugins::evaluators
