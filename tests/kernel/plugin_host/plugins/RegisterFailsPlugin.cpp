// Its register function reports an error after registering one factory: the factory must
// not stay registered.
#include "ekaci/sdk/PluginEntry.h"

namespace {
class Factory : public ekaci::sdk::EvaluatorFactory {
 public:
  std::string type() const override { return "test-half-registered"; }
  std::string description() const override { return "never usable"; }
  ekaci::sdk::SettingsSchema settings() const override { return {}; }
  ekaci::sdk::Result<std::unique_ptr<ekaci::sdk::Evaluator>> create(const ekaci::sdk::Value&,
                                                                    ekaci::sdk::HostServices&) const override {
    return ekaci::sdk::Error(ekaci::sdk::ErrorCode::Internal, "unreachable");
  }
};

ekaci::sdk::Result<void> registerFails(ekaci::sdk::Registrar& registrar) {
  if (auto added = registrar.addEvaluator(std::make_unique<Factory>()); !added) return added;
  return ekaci::sdk::Error(ekaci::sdk::ErrorCode::PluginRegisterFailed, "license check failed: no licence file");
}
}  // namespace

EKACI_PLUGIN("test-register-fails", "1.0.0", registerFails)
