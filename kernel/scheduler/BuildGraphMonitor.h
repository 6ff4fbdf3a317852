#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "kernel/scheduler/BuildGraph.h"
#include "kernel/scheduler/GraphEviction.h"

namespace ekaci::scheduler {

// The manual's graph-cache metrics and log lines for the build graph: nodes per state,
// memory, utilization of graph_lru_capacity, pinned nodes, eviction candidates per tier,
// evictions, and reloads from the database with their duration; a status line every five
// minutes (a warning at 80 % and 90 % utilization).
//
// Threading: not synchronised; the scheduler uses it under its lock.
class BuildGraphMonitor {
 public:
  BuildGraphMonitor(sdk::Metrics& metrics, sdk::Logger& logger, std::size_t capacity)
      : metrics_(metrics), logger_(logger), capacity_(capacity == 0 ? 1 : capacity) {}

  // Gauges from the graph as it is; logs the status line when five minutes have passed.
  void observe(const BuildGraph& graph, const GraphEviction::Census& census, std::chrono::steady_clock::time_point now);
  void evicted(const GraphEviction::Choice& choice);
  // `nodes` derivations came back into the graph with their state read from the database.
  void reloaded(std::size_t nodes, std::chrono::duration<double> took);

 private:
  void logStatus(std::size_t nodes, std::size_t pinned);

  sdk::Metrics& metrics_;
  sdk::Logger& logger_;
  std::size_t capacity_;
  std::optional<std::chrono::steady_clock::time_point> lastLog_;
};

}  // namespace ekaci::scheduler
