#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "kernel/scheduler/BuildGraph.h"
#include "kernel/scheduler/BuilderPool.h"

namespace ekaci::scheduler {

// The queues of buildable derivations — one per system and kind (fixed-output apart), most
// urgent first: fewest rebuilds, then the oldest jobset, then arrival — and the choice of
// what starts where. It decides and takes builder slots; the scheduler records and runs.
// The work per decision is bounded (a few dozen entries looked at per queue), whatever the
// queues' length.
//
// Threading: not synchronised; the scheduler uses it under its lock.
class Dispatcher {
 public:
  struct Launch {
    std::size_t builder = 0;         // its slot is taken in the pool
    std::vector<BuildNodeId> nodes;  // one, or a local batch
  };
  struct Plan {
    std::vector<Launch> launches;
    std::vector<BuildNodeId> abandoned;                              // no open jobset needs it now
    std::vector<std::pair<BuildNodeId, std::string>> unsatisfiable;  // and why
  };

  explicit Dispatcher(std::size_t batchSize) : batchSize_(batchSize == 0 ? 1 : batchSize) {}

  static std::string queueName(const BuildRequirements& needs);
  // A buildable node waits, ranked by the most urgent of the jobsets that need it.
  void enqueue(BuildNodeId node, const BuildRequirements& needs, std::int64_t rebuildCount, std::int64_t submittedAt);
  // What can start now. Entries whose node is no longer Buildable are dropped on the way.
  Plan plan(const BuildGraph& graph, BuilderPool& pool);

  // Entries per queue (some may no longer be buildable until the next plan drops them).
  std::map<std::string, std::size_t> lengths() const;
  // The waiting nodes, most urgent first per queue, at most `limit`.
  std::vector<BuildNodeId> waiting(std::size_t limit) const;
  // Drops the entries of nodes that leave the graph (their ids will be reused).
  void forget(const std::vector<BuildNodeId>& nodes);
  void clear() { ready_.clear(); }

 private:
  struct Key {
    std::int64_t rebuildCount;
    std::int64_t submittedAt;
    std::uint64_t sequence;
    BuildNodeId node;
    bool operator<(const Key& o) const {
      return std::tie(rebuildCount, submittedAt, sequence) < std::tie(o.rebuildCount, o.submittedAt, o.sequence);
    }
  };

  std::size_t batchSize_;
  std::uint64_t sequence_ = 0;
  std::map<std::string, std::set<Key>> ready_;
};

}  // namespace ekaci::scheduler
