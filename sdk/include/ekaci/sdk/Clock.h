#pragma once

#include <chrono>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

// Time, injectable so that tests never sleep. Threading: any thread.
class EKACI_SDK_API Clock {
 public:
  virtual ~Clock();
  // Wall-clock time, for timestamps shown to people and stored in the database.
  virtual std::chrono::system_clock::time_point now() const = 0;
  // Monotonic time, for durations and deadlines.
  virtual std::chrono::steady_clock::time_point monotonic() const = 0;
  // Blocks the calling thread; a manual clock advances instead of sleeping.
  virtual void sleepFor(std::chrono::milliseconds duration) = 0;
};

}  // namespace ekaci::sdk
