#pragma once

#include <memory>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

class EKACI_SDK_API ForgeFactory : public PluginFactory {
 public:
  ~ForgeFactory() override;
  PluginKind kind() const final { return PluginKind::Forge; }
  virtual Result<std::unique_ptr<Forge>> create(const Value& config, HostServices& host) const = 0;
};

}  // namespace ekaci::sdk
