#pragma once

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "kernel/forge/PullRequestFlow.h"
#include "kernel/services/PollingThread.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// Takes the stored, verified events in the order they arrived and hands each to the
// pull-request flow, on one thread; an event is marked done (or failed, with the error)
// once handled. Events stored but not handled before a crash are handled after the restart.
class ForgeEventProcessor {
 public:
  struct Services {
    storage::Storage& storage;
    PullRequestFlow& flow;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
  };

  explicit ForgeEventProcessor(Services services);
  ~ForgeEventProcessor();

  void start() { thread_.start(); }
  void stop() { thread_.stop(); }
  // Wakes the thread: an event was stored.
  void notify() { thread_.nudge(); }
  // Handles the pending events now; returns how many. The thread's body, public for tests.
  std::size_t processPending();

 private:
  Services services_;
  services::PollingThread thread_;
};

}  // namespace ekaci::forge
