#pragma once

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// What every plugin instance (a Forge, a Cache, an Evaluator, a CredentialSource) shares:
// its lifecycle. The kernel creates every instance once at start-up from its block of the
// configuration, then calls start() on each in creation order before any other call, and at
// shutdown stop() on each started instance in the reverse order, before destroying it.
//
// start(): open what the instance needs for its life (a connection, a worker thread). An
// error stops the server's start-up with that error, naming the instance; instances started
// before it are stopped. The default does nothing.
// stop(): stop threads and finish or drop work in flight; called once, after the kernel's
// last call, from the kernel's main thread. It must not throw. The default does nothing.
//
// Every call into an instance is guarded by the kernel: an exception becomes the error
// PluginCallFailed (logged, counted in eka_ci_plugin_call_failures_total), never a crash.
class EKACI_SDK_API PluginInstance {
 public:
  virtual ~PluginInstance();
  virtual Result<void> start() { return success(); }
  virtual void stop() {}
};

}  // namespace ekaci::sdk
