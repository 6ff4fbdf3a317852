#pragma once

#include <memory>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

class EKACI_SDK_API EvaluatorFactory : public PluginFactory {
 public:
  ~EvaluatorFactory() override;
  PluginKind kind() const final { return PluginKind::Evaluator; }
  virtual Result<std::unique_ptr<Evaluator>> create(const Value& config, HostServices& host) const = 0;
};

}  // namespace ekaci::sdk
