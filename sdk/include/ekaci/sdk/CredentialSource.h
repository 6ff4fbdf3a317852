#pragma once

#include <memory>
#include <string>

#include "ekaci/sdk/Credentials.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/PluginInstance.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

// Produces secrets on demand (from the environment, a file, Vault, ...). Sources are asked
// each time credentials are needed, so rotation works without a restart.
//
// Threading: fetch() may be called from several threads at once.
// Errors: SecretNotFound, SecretFileInsecure, SecretFileUnreadable, SecretParse,
// SecretSourceUnavailable. Messages name what is missing, never a secret value.
class EKACI_SDK_API CredentialSource : public PluginInstance {
 public:
  ~CredentialSource() override;
  virtual Result<Credentials> fetch() = 0;
  // Where the secrets come from, safe to log ("file /etc/eka-ci/x.json").
  virtual std::string describe() const = 0;
};

}  // namespace ekaci::sdk
