#include "kernel/scheduler/GraphEviction.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace ekaci::scheduler {

std::string_view GraphEviction::tierName(Tier tier) {
  switch (tier) {
    case Tier::Tier1NotBuilt:
      return "tier1_transitive_failure";
    case Tier::Tier2Failure:
      return "tier2_completed_failure";
    case Tier::Tier3Success:
      return "tier3_completed_success";
  }
  return "tier3_completed_success";
}

GraphEviction::Tier GraphEviction::tierOf(BuildState state) {
  if (state == BuildState::Failure) return Tier::Tier2Failure;
  if (isSuccessful(state)) return Tier::Tier3Success;
  return Tier::Tier1NotBuilt;
}

std::vector<bool> GraphEviction::candidates(const BuildGraph& graph, const std::vector<bool>& held) {
  const auto& nodes = graph.nodes();
  std::vector<bool> out(nodes.size(), false);
  std::vector<BuildNodeId> stays;
  for (BuildNodeId n = 0; n < nodes.size(); ++n) {
    const auto& node = nodes[n];
    if (node.path.empty()) continue;
    const bool isHeld = n < held.size() && held[n];
    out[n] = isTerminal(node.status.state) && node.jobsets.empty() && !isHeld;
    if (!out[n]) stays.push_back(n);
  }
  // Whatever a node that stays depends on stays too.
  while (!stays.empty()) {
    const BuildNodeId n = stays.back();
    stays.pop_back();
    for (BuildNodeId d : nodes[n].deps) {
      if (!out[d]) continue;
      out[d] = false;
      stays.push_back(d);
    }
  }
  return out;
}

GraphEviction::Census GraphEviction::census(const BuildGraph& graph, const std::vector<bool>& can) {
  Census census;
  const auto& nodes = graph.nodes();
  for (BuildNodeId n = 0; n < nodes.size(); ++n) {
    if (nodes[n].path.empty()) continue;
    if (can[n]) {
      ++census.candidates[static_cast<std::size_t>(tierOf(nodes[n].status.state))];
    } else {
      ++census.pinned;
    }
  }
  return census;
}

GraphEviction::Choice GraphEviction::choose(const BuildGraph& graph, std::size_t target, const std::vector<bool>& can) {
  Choice choice;
  if (graph.size() <= target) return choice;
  const auto& nodes = graph.nodes();
  // Sorted as packed keys (tier, then last claim): no node is touched while sorting.
  constexpr std::uint64_t kClaimBits = (std::uint64_t{1} << 60) - 1;
  std::vector<std::pair<std::uint64_t, BuildNodeId>> order;
  for (BuildNodeId n = 0; n < nodes.size(); ++n) {
    if (!can[n]) continue;
    const auto tier = static_cast<std::uint64_t>(tierOf(nodes[n].status.state));
    order.emplace_back((tier << 60) | std::min(nodes[n].lastClaimed, kClaimBits), n);
  }
  std::sort(order.begin(), order.end());
  // A node leaves with everything that depends on it (all of which can leave: see candidates).
  std::vector<bool> chosen(nodes.size(), false);
  std::vector<BuildNodeId> stack;
  std::size_t remaining = graph.size();
  for (const auto& [key, first] : order) {
    if (remaining <= target) break;
    if (chosen[first]) continue;
    stack.push_back(first);
    while (!stack.empty()) {
      const BuildNodeId n = stack.back();
      stack.pop_back();
      if (chosen[n]) continue;
      chosen[n] = true;
      choice.nodes.push_back(n);
      ++choice.perTier[static_cast<std::size_t>(tierOf(nodes[n].status.state))];
      --remaining;
      for (BuildNodeId d : nodes[n].dependents) stack.push_back(d);
    }
  }
  return choice;
}

}  // namespace ekaci::scheduler
