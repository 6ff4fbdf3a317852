#pragma once

#include "ekaci/sdk/testing/FakeHostServices.h"
#include "kernel/services/PocoHttpClient.h"
#include "kernel/services/SystemClock.h"

namespace ekaci::testsupport {

// Fakes everywhere but HTTP and the clock: a plugin under test talks to a local forge for real.
class LiveHostServices : public sdk::testing::FakeHostServices {
 public:
  sdk::HttpClient& http() override { return http_; }
  sdk::Clock& clock() override { return clock_; }

 private:
  services::PocoHttpClient http_;
  services::SystemClock clock_;
};

}  // namespace ekaci::testsupport
