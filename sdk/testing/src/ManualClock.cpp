#include "ekaci/sdk/testing/ManualClock.h"

namespace ekaci::sdk::testing {

ManualClock::ManualClock()
    : wall_(std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000))),
      mono_(std::chrono::steady_clock::time_point(std::chrono::seconds(1000))) {}

std::chrono::system_clock::time_point ManualClock::now() const {
  std::lock_guard lock(mutex_);
  return wall_;
}

std::chrono::steady_clock::time_point ManualClock::monotonic() const {
  std::lock_guard lock(mutex_);
  return mono_;
}

void ManualClock::advance(std::chrono::milliseconds duration) {
  std::lock_guard lock(mutex_);
  wall_ += duration;
  mono_ += duration;
}

void ManualClock::setNow(std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mutex_);
  wall_ = now;
}

}  // namespace ekaci::sdk::testing
