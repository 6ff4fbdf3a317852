#pragma once

#include <memory>

#include "ekaci/sdk/CacheFactory.h"
#include "ekaci/sdk/CredentialSourceFactory.h"
#include "ekaci/sdk/EvaluatorFactory.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeFactory.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// Handed to a plugin's register function, once, on the main thread, after the kernel has
// checked the plugin's API version and ABI fingerprint. The registrar takes ownership of
// each factory. Registering a (kind, type) that already exists fails with
// PluginDuplicateType; the plugin should return that error.
class EKACI_SDK_API Registrar {
 public:
  virtual ~Registrar();
  virtual Result<void> addForge(std::unique_ptr<ForgeFactory> factory) = 0;
  virtual Result<void> addCache(std::unique_ptr<CacheFactory> factory) = 0;
  virtual Result<void> addCredentialSource(std::unique_ptr<CredentialSourceFactory> factory) = 0;
  virtual Result<void> addEvaluator(std::unique_ptr<EvaluatorFactory> factory) = 0;
};

}  // namespace ekaci::sdk
