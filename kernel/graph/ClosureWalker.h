#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kernel/graph/DrvGraph.h"

namespace ekaci::graph {

// What a walk learnt about one derivation, besides its edges.
struct DrvFacts {
  std::string system;
  bool fixedOutput = false;
  bool preferLocalBuild = false;
  std::vector<std::string> requiredSystemFeatures;
  std::vector<std::pair<std::string, std::string>> outputs;  // name -> path
};

struct ClosureWalk {
  DrvGraph graph;
  std::vector<DrvFacts> facts;                                  // indexed by NodeId
  std::vector<std::pair<std::string, std::string>> unreadable;  // drv path -> why
};

// Walks the input closure of a set of derivations by parsing their .drv files (in parallel),
// building the graph as it goes. A .drv that cannot be read or parsed is recorded as
// unreadable and the walk goes on. At most `capacity` nodes are added; past that the graph
// is marked truncated (graph_lru_capacity).
class ClosureWalker {
 public:
  struct Options {
    std::size_t threads = 2;
    std::size_t capacity = 100000;
    const std::atomic<bool>* cancel = nullptr;
    // When set, only these derivations (and the roots) are read and added: inputs outside it
    // are neither nodes nor edges (the scheduler walks only what has to be built).
    const std::set<std::string>* within = nullptr;
  };

  static ClosureWalk walk(const std::vector<std::string>& roots, const Options& options,
                          const std::function<void(std::size_t parsed)>& progress = {});
};

}  // namespace ekaci::graph
