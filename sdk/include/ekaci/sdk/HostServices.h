#pragma once

#include <filesystem>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HttpClient.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/SecretResolver.h"

namespace ekaci::sdk {

// Everything a plugin instance may use from the server. There are no globals: a plugin
// reaches the outside world only through the HostServices it was created with.
//
// Lifetime: the kernel creates one HostServices per plugin instance and keeps it alive
// until after the instance is destroyed, so an instance may store the reference.
// Every accessor returns a reference valid for that whole lifetime.
// Threading: the accessors and the returned services may be used from any thread.
class EKACI_SDK_API HostServices {
 public:
  virtual ~HostServices();

  virtual HttpClient& http() = 0;
  // Pre-scoped to the plugin instance ("plugin.<kind>.<type>.<id>").
  virtual Logger& logger() = 0;
  // Labels naming the plugin instance are added to every metric.
  virtual Metrics& metrics() = 0;
  virtual Clock& clock() = 0;
  virtual ProcessRunner& processes() = 0;
  virtual SecretResolver& secrets() = 0;
  // A directory owned by this instance alone (created, mode 0700), kept across restarts.
  virtual const std::filesystem::path& stateDirectory() const = 0;
};

}  // namespace ekaci::sdk
