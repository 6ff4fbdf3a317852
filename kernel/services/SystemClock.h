#pragma once

#include "ekaci/sdk/Clock.h"

namespace ekaci::services {

// The real clock.
class SystemClock : public sdk::Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point monotonic() const override { return std::chrono::steady_clock::now(); }
  void sleepFor(std::chrono::milliseconds duration) override;
};

}  // namespace ekaci::services
