#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>

namespace ekaci::services {

// One thread that runs `pass` again and again: at once while a pass handled something, else
// after `idle` or as soon as nudge() is called. stop() lets the current pass finish.
class PollingThread {
 public:
  using Pass = std::function<std::size_t()>;  // returns how much it handled

  PollingThread(Pass pass, std::chrono::milliseconds idle) : pass_(std::move(pass)), idle_(idle) {}
  ~PollingThread();
  PollingThread(const PollingThread&) = delete;
  PollingThread& operator=(const PollingThread&) = delete;

  void start();
  void stop();
  void nudge();

 private:
  void run();

  Pass pass_;
  std::chrono::milliseconds idle_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool nudged_ = false;
  std::thread thread_;
};

}  // namespace ekaci::services
