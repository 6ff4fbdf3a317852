#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ekaci/sdk/CredentialSource.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/SecretResolver.h"
#include "kernel/plugin_host/InstanceLifecycle.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/services/KernelHostServices.h"
#include "kernel/services/Logging.h"
#include "kernel/services/PocoHttpClient.h"
#include "kernel/services/PosixProcessRunner.h"
#include "kernel/services/PrometheusMetrics.h"
#include "kernel/services/SystemClock.h"

namespace ekaci::services {

// The server's shared services, and the factory of per-instance HostServices. It is also
// the SecretResolver: a credential block is resolved by the CredentialSource plugin
// registered for its tag. One guarded, started instance serves each distinct block (type
// and settings) for the server's life — prepared at start-up for every block of the
// configuration, so a refused block stops start-up — and the instances are stopped in the
// reverse order when the hub goes.
class ServiceHub : public sdk::SecretResolver {
 public:
  ServiceHub(Logging& logging, const plugin_host::PluginRegistry& registry, std::filesystem::path stateRoot);
  ~ServiceHub() override;

  // HostServices for instance `id` of plugin (kind, type); its state directory is
  // <stateRoot>/plugins/<kind>/<type>/<id>, created with mode 0700.
  sdk::Result<std::unique_ptr<KernelHostServices>> hostFor(sdk::PluginKind kind, const std::string& type,
                                                           const std::string& id);

  sdk::Result<sdk::Credentials> resolve(const sdk::Value& credentialBlock) override;
  // Creates and starts the source instance of a block without fetching anything (`none`:
  // nothing to do).
  sdk::Result<void> prepare(const sdk::Value& credentialBlock);
  // Every credential block inside plugin settings ("credentials" at any depth).
  sdk::Result<void> prepareAllIn(const sdk::Value& settings);

  PrometheusMetrics& metrics() noexcept { return metrics_; }
  sdk::Clock& clock() noexcept { return clock_; }
  sdk::ProcessRunner& processes() noexcept { return processes_; }
  // Every process started from now on is recorded in `ledger` (the state directory's, which
  // must outlive those runs); nullptr stops recording.
  void trackProcessesIn(const ProcessLedger* ledger) noexcept { processes_.track(ledger); }
  sdk::HttpClient& http() noexcept { return http_; }
  Logging& logging() noexcept { return logging_; }

 private:
  Logging& logging_;
  const plugin_host::PluginRegistry& registry_;
  std::filesystem::path stateRoot_;
  std::unique_ptr<sdk::Logger> metricsLogger_;
  PrometheusMetrics metrics_;
  SystemClock clock_;
  PosixProcessRunner processes_;
  PocoHttpClient http_;
  // The instance serving a block, created and started on first use; nullptr for `none`.
  sdk::Result<sdk::CredentialSource*> sourceFor(const sdk::Value& credentialBlock);

  // Recursive: a source's create() or start() may resolve another block.
  std::recursive_mutex credentialHostsMutex_;
  std::map<std::string, std::unique_ptr<KernelHostServices>> credentialHosts_;
  // After the hosts (destroyed before them); the lifecycle last (it stops them first).
  std::map<std::string, std::unique_ptr<sdk::CredentialSource>> sources_;  // "type\nsettings" -> instance
  plugin_host::InstanceLifecycle sourceLifecycle_;
};

}  // namespace ekaci::services
