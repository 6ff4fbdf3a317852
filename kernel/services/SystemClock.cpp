#include "kernel/services/SystemClock.h"

#include <thread>

namespace ekaci::services {

void SystemClock::sleepFor(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

}  // namespace ekaci::services
