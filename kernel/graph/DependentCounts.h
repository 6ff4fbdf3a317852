#pragma once

#include <cstddef>
#include <vector>

#include "kernel/graph/DrvGraph.h"

namespace ekaci::graph {

// For each of a set of seed nodes: how many nodes depend on it, transitively, and how many of
// those are marked (head jobs); and, per node, whether it depends on any seed. One pass over
// the graph in dependency order carries, per node, the set of seeds it depends on — a bit
// each, 64 seeds per pass — with the counts kept as bit planes. A mass rebuild (thousands of
// seeds, each reaching most of the graph) costs one pass per 64 seeds instead of one walk
// per seed.
class DependentCounts {
 public:
  struct Counts {
    std::vector<std::size_t> dependents;  // per seed
    std::vector<std::size_t> marked;      // per seed: its dependents that are marked
    std::vector<char> dependsOnASeed;     // per node id
  };

  // `marked` is indexed by node id (shorter: the rest unmarked).
  static Counts compute(const DrvGraph& graph, const std::vector<NodeId>& seeds, const std::vector<char>& marked);

  // Every node after all of its inputs (Kahn's algorithm over the references); a cycle
  // (never in a store) would leave its nodes out.
  static std::vector<NodeId> dependencyOrder(const DrvGraph& graph);
};

}  // namespace ekaci::graph
