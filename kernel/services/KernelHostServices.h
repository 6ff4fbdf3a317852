#pragma once

#include <filesystem>
#include <memory>

#include "ekaci/sdk/HostServices.h"
#include "kernel/services/ScopedMetrics.h"

namespace ekaci::services {

// The HostServices of one plugin instance: shared services plus its own scoped logger,
// metric labels and state directory.
class KernelHostServices : public sdk::HostServices {
 public:
  KernelHostServices(sdk::HttpClient& http, std::unique_ptr<sdk::Logger> logger, sdk::Metrics& metrics,
                     sdk::MetricLabels scope, sdk::Clock& clock, sdk::ProcessRunner& processes,
                     sdk::SecretResolver& secrets, std::filesystem::path stateDirectory);

  sdk::HttpClient& http() override { return http_; }
  sdk::Logger& logger() override { return *logger_; }
  sdk::Metrics& metrics() override { return metrics_; }
  sdk::Clock& clock() override { return clock_; }
  sdk::ProcessRunner& processes() override { return processes_; }
  sdk::SecretResolver& secrets() override { return secrets_; }
  const std::filesystem::path& stateDirectory() const override { return stateDirectory_; }

 private:
  sdk::HttpClient& http_;
  std::unique_ptr<sdk::Logger> logger_;
  ScopedMetrics metrics_;
  sdk::Clock& clock_;
  sdk::ProcessRunner& processes_;
  sdk::SecretResolver& secrets_;
  std::filesystem::path stateDirectory_;
};

}  // namespace ekaci::services
