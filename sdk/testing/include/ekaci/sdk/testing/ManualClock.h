#pragma once

#include <chrono>
#include <mutex>

#include "ekaci/sdk/Clock.h"

namespace ekaci::sdk::testing {

// A clock that only moves when told to. sleepFor() advances it instead of sleeping.
class ManualClock : public Clock {
 public:
  ManualClock();
  std::chrono::system_clock::time_point now() const override;
  std::chrono::steady_clock::time_point monotonic() const override;
  void sleepFor(std::chrono::milliseconds duration) override { advance(duration); }

  void advance(std::chrono::milliseconds duration);
  void setNow(std::chrono::system_clock::time_point now);

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point wall_;
  std::chrono::steady_clock::time_point mono_;
};

}  // namespace ekaci::sdk::testing
