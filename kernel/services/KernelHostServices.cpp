#include "kernel/services/KernelHostServices.h"

namespace ekaci::services {

KernelHostServices::KernelHostServices(sdk::HttpClient& http, std::unique_ptr<sdk::Logger> logger,
                                       sdk::Metrics& metrics, sdk::MetricLabels scope, sdk::Clock& clock,
                                       sdk::ProcessRunner& processes, sdk::SecretResolver& secrets,
                                       std::filesystem::path stateDirectory)
    : http_(http),
      logger_(std::move(logger)),
      metrics_(metrics, std::move(scope)),
      clock_(clock),
      processes_(processes),
      secrets_(secrets),
      stateDirectory_(std::move(stateDirectory)) {}

}  // namespace ekaci::services
