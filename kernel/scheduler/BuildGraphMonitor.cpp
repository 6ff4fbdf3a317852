#include "kernel/scheduler/BuildGraphMonitor.h"

#include <map>
#include <string>

namespace ekaci::scheduler {
namespace {
constexpr auto kStatusEvery = std::chrono::minutes(5);
constexpr BuildState kStates[] = {BuildState::Queued,  BuildState::Buildable,         BuildState::Building,
                                  BuildState::Success, BuildState::Failure,           BuildState::FailedRetry,
                                  BuildState::Blocked, BuildState::TransitiveFailure, BuildState::Interrupted,
                                  BuildState::Cached};
}  // namespace

void BuildGraphMonitor::observe(const BuildGraph& graph, const GraphEviction::Census& census,
                                std::chrono::steady_clock::time_point now) {
  std::map<BuildState, std::size_t> perState;
  for (const auto& node : graph.nodes()) {
    if (!node.path.empty()) ++perState[node.status.state];
  }
  for (BuildState state : kStates) {
    metrics_
        .gauge("graph_nodes_total", "Derivations in the build graph, per build state.", {{"state", toString(state)}})
        .set(static_cast<double>(perState[state]));
  }
  metrics_.gauge("graph_memory_bytes_estimate", "Memory held by the build graph, estimated, in bytes.", {})
      .set(static_cast<double>(graph.memoryBytes()));
  metrics_.gauge("graph_cache_utilization", "Derivations in the build graph over graph_lru_capacity (0-1).", {})
      .set(std::min(1.0, static_cast<double>(graph.size()) / static_cast<double>(capacity_)));
  metrics_
      .gauge("graph_pinned_nodes_total",
             "Derivations of the build graph that cannot leave it: needed by an open jobset or building.", {})
      .set(static_cast<double>(census.pinned));
  for (std::size_t t = 0; t < GraphEviction::kTiers; ++t) {
    const auto tier = static_cast<GraphEviction::Tier>(t);
    metrics_
        .gauge("graph_eviction_candidates_total", "Derivations that could leave the build graph now, per tier.",
               {{"tier", std::string(GraphEviction::tierName(tier))}})
        .set(static_cast<double>(census.candidates[t]));
  }
  if (!lastLog_ || now - *lastLog_ >= kStatusEvery) {
    lastLog_ = now;
    logStatus(graph.size(), census.pinned);
  }
}

void BuildGraphMonitor::logStatus(std::size_t nodes, std::size_t pinned) {
  const double percent = 100.0 * static_cast<double>(nodes) / static_cast<double>(capacity_);
  const sdk::LogFields fields = {{"nodes", std::to_string(nodes)},
                                 {"capacity", std::to_string(capacity_)},
                                 {"utilization_percent", std::to_string(static_cast<int>(percent))},
                                 {"pinned", std::to_string(pinned)}};
  if (percent >= 90.0) {
    logger_.warn("build graph utilization HIGH: consider increasing graph_lru_capacity", fields);
  } else if (percent >= 80.0) {
    logger_.warn("build graph utilization elevated: monitor graph_lru_capacity", fields);
  } else {
    logger_.info("build graph status", fields);
  }
}

void BuildGraphMonitor::evicted(const GraphEviction::Choice& choice) {
  for (std::size_t t = 0; t < GraphEviction::kTiers; ++t) {
    if (choice.perTier[t] == 0) continue;
    const auto tier = static_cast<GraphEviction::Tier>(t);
    metrics_
        .counter("graph_evictions_total", "Derivations that left the build graph past graph_lru_capacity, per tier.",
                 {{"tier", std::string(GraphEviction::tierName(tier))}})
        .increment(static_cast<double>(choice.perTier[t]));
  }
  if (!choice.nodes.empty()) {
    logger_.info("build graph past graph_lru_capacity: finished derivations left it",
                 {{"evicted", std::to_string(choice.nodes.size())}, {"capacity", std::to_string(capacity_)}});
  }
}

void BuildGraphMonitor::reloaded(std::size_t nodes, std::chrono::duration<double> took) {
  if (nodes == 0) return;
  metrics_
      .counter("graph_cache_reloads_total",
               "Derivations brought back into the build graph with their state read from the database.", {})
      .increment(static_cast<double>(nodes));
  metrics_
      .histogram("graph_cache_reload_duration_seconds",
                 "Time to read the stored state of the derivations a jobset brought back into the build graph.", {},
                 {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5})
      .observe(took.count());
}

}  // namespace ekaci::scheduler
