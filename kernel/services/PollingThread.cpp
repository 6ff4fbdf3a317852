#include "kernel/services/PollingThread.h"

namespace ekaci::services {

PollingThread::~PollingThread() {
  stop();
}

void PollingThread::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void PollingThread::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void PollingThread::nudge() {
  {
    std::lock_guard lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void PollingThread::run() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      nudged_ = false;
    }
    const std::size_t handled = pass_();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (handled == 0) wake_.wait_for(lock, idle_, [this] { return stopping_ || nudged_; });
  }
}

}  // namespace ekaci::services
