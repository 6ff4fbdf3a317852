#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "kernel/scheduler/BuildGraph.h"

namespace ekaci::scheduler {

// Which nodes leave the build graph when it holds more than graph_lru_capacity. A node can
// leave when it is finished, no open jobset needs it, no build thread still holds it and
// every node that depends on it can leave too (so no node that stays loses an input). Those
// leave cheapest first — the tiers below, then the least recently claimed — until the graph
// is down to the target. A node that comes back is rebuilt from the database (its state, its
// cached failure), so leaving costs a reload, never a result.
class GraphEviction {
 public:
  // tier1: not built because of something else (a failed or unfinished input, cancelled);
  // tier2: failed; tier3: built, cached or substituted.
  enum class Tier { Tier1NotBuilt = 0, Tier2Failure = 1, Tier3Success = 2 };
  static constexpr std::size_t kTiers = 3;
  static std::string_view tierName(Tier tier);

  struct Census {
    std::array<std::size_t, kTiers> candidates{};  // nodes that could leave now, per tier
    std::size_t pinned = 0;                        // nodes that must stay
  };
  struct Choice {
    std::vector<BuildNodeId> nodes;
    std::array<std::size_t, kTiers> perTier{};
  };

  // The nodes that could leave now, by id. `held`: nodes a build thread or a pending
  // completion still refers to (shorter than the graph means not held).
  static std::vector<bool> candidates(const BuildGraph& graph, const std::vector<bool>& held);
  static Census census(const BuildGraph& graph, const std::vector<bool>& candidates);
  // The nodes to remove so that at most `target` stay (fewer leave when too few can).
  static Choice choose(const BuildGraph& graph, std::size_t target, const std::vector<bool>& candidates);

 private:
  static Tier tierOf(BuildState state);
};

}  // namespace ekaci::scheduler
