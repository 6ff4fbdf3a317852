#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/SecretResolver.h"
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
// registered for its tag, created on demand with its own HostServices.
class ServiceHub : public sdk::SecretResolver {
 public:
  ServiceHub(Logging& logging, const plugin_host::PluginRegistry& registry, std::filesystem::path stateRoot);
  ~ServiceHub() override;

  // HostServices for instance `id` of plugin (kind, type); its state directory is
  // <stateRoot>/plugins/<kind>/<type>/<id>, created with mode 0700.
  sdk::Result<std::unique_ptr<KernelHostServices>> hostFor(sdk::PluginKind kind, const std::string& type,
                                                           const std::string& id);

  sdk::Result<sdk::Credentials> resolve(const sdk::Value& credentialBlock) override;

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
  std::mutex credentialHostsMutex_;
  std::map<std::string, std::unique_ptr<KernelHostServices>> credentialHosts_;
};

}  // namespace ekaci::services
