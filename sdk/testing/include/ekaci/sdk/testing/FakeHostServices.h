#pragma once

#include <filesystem>

#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/FakeHttpClient.h"
#include "ekaci/sdk/testing/FakeProcessRunner.h"
#include "ekaci/sdk/testing/FakeSecretResolver.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "ekaci/sdk/testing/ManualClock.h"

namespace ekaci::sdk::testing {

// HostServices made of fakes, with a fresh temporary state directory that is removed when
// the object is destroyed. The concrete fakes are reachable for scripting and assertions.
class FakeHostServices : public HostServices {
 public:
  FakeHostServices();
  ~FakeHostServices() override;
  FakeHostServices(const FakeHostServices&) = delete;
  FakeHostServices& operator=(const FakeHostServices&) = delete;

  HttpClient& http() override { return http_; }
  Logger& logger() override { return logger_; }
  Metrics& metrics() override { return metrics_; }
  Clock& clock() override { return clock_; }
  ProcessRunner& processes() override { return processes_; }
  SecretResolver& secrets() override { return secrets_; }
  const std::filesystem::path& stateDirectory() const override { return stateDirectory_; }

  FakeHttpClient& fakeHttp() { return http_; }
  CapturingLogger& capturedLogs() { return logger_; }
  InMemoryMetrics& fakeMetrics() { return metrics_; }
  ManualClock& manualClock() { return clock_; }
  FakeProcessRunner& fakeProcesses() { return processes_; }
  FakeSecretResolver& fakeSecrets() { return secrets_; }

 private:
  FakeHttpClient http_;
  CapturingLogger logger_;
  InMemoryMetrics metrics_;
  ManualClock clock_;
  FakeProcessRunner processes_;
  FakeSecretResolver secrets_;
  std::filesystem::path stateDirectory_;
};

}  // namespace ekaci::sdk::testing
