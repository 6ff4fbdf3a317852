#pragma once

#include <memory>

#include "ekaci/sdk/Cache.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

class EKACI_SDK_API CacheFactory : public PluginFactory {
 public:
  ~CacheFactory() override;
  PluginKind kind() const final { return PluginKind::Cache; }
  virtual Result<std::unique_ptr<Cache>> create(const Value& config, HostServices& host) const = 0;
};

}  // namespace ekaci::sdk
