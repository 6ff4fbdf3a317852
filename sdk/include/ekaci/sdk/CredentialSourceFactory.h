#pragma once

#include <memory>

#include "ekaci/sdk/CredentialSource.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

class EKACI_SDK_API CredentialSourceFactory : public PluginFactory {
 public:
  ~CredentialSourceFactory() override;
  PluginKind kind() const final { return PluginKind::CredentialSource; }
  // `config` is the validated inner table of the tagged block ({ path = "..." } for file).
  virtual Result<std::unique_ptr<CredentialSource>> create(const Value& config, HostServices& host) const = 0;
};

}  // namespace ekaci::sdk
