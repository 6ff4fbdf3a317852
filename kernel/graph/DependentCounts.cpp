#include "kernel/graph/DependentCounts.h"

#include <algorithm>
#include <cstdint>

namespace ekaci::graph {
namespace {

constexpr int kPlanes = 32;  // counts up to 2^32 - 1

// The graph renumbered in dependency order (position i's inputs all sit before i), with its
// references as positions: each pass reads its arrays front to back.
struct Ordered {
  std::vector<std::uint32_t> offsets, inputs;
  std::vector<std::uint32_t> rankAt;  // the seed's rank, by position (UINT32_MAX: none)
  std::vector<char> markedAt;
  std::vector<NodeId> order;
};

// Adds `bits` (one per seed) to counters kept as bit planes: plane p holds bit p of every
// seed's count, so an addition is a carry through a few words instead of a loop over bits.
inline void add(std::uint64_t (&planes)[kPlanes], std::uint64_t bits) {
  for (int p = 0; bits != 0 && p < kPlanes; ++p) {
    const std::uint64_t carry = planes[p] & bits;
    planes[p] ^= bits;
    bits = carry;
  }
}

// One pass over the graph per 64 seeds. (Wider passes — 256 seeds in four words per node —
// and passes shared out between two threads were measured slower or no faster on a 1M-node
// graph: each pass is bound by fetching the inputs' words from memory, and a wider array per
// node or a second array fetched at once only adds to that.)
void passes(const Ordered& g, std::size_t seedCount, DependentCounts::Counts& counts, std::vector<char>& dependsAt) {
  const std::size_t n = g.order.size();
  std::vector<std::uint64_t> out(n);  // out[i]: the pass's seeds position i is or depends on
  for (std::size_t first = 0; first < seedCount; first += 64) {
    const std::size_t count = std::min<std::size_t>(64, seedCount - first);
    std::uint64_t all[kPlanes] = {}, marked[kPlanes] = {};
    for (std::uint32_t i = 0; i < n; ++i) {
      std::uint64_t bits = 0;
      for (std::uint32_t e = g.offsets[i]; e < g.offsets[i + 1]; ++e) bits |= out[g.inputs[e]];
      if (bits != 0) {
        dependsAt[i] = 1;
        add(all, bits);
        if (g.markedAt[i] != 0) add(marked, bits);
      }
      const std::uint32_t rank = g.rankAt[i];
      out[i] =
          bits | (rank != UINT32_MAX && rank >= first && rank < first + count ? std::uint64_t{1} << (rank - first) : 0);
    }
    for (std::size_t k = 0; k < count; ++k) {
      std::size_t a = 0, m = 0;
      for (int p = 0; p < kPlanes; ++p) {
        a |= static_cast<std::size_t>((all[p] >> k) & 1u) << p;
        m |= static_cast<std::size_t>((marked[p] >> k) & 1u) << p;
      }
      counts.dependents[first + k] = a;
      counts.marked[first + k] = m;
    }
  }
}

}  // namespace

std::vector<NodeId> DependentCounts::dependencyOrder(const DrvGraph& graph) {
  std::vector<std::uint32_t> waiting(graph.size());
  std::vector<NodeId> order;
  order.reserve(graph.size());
  for (NodeId node = 0; node < graph.size(); ++node) {
    auto [begin, end] = graph.references(node);
    waiting[node] = static_cast<std::uint32_t>(end - begin);
    if (waiting[node] == 0) order.push_back(node);
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto [begin, end] = graph.referrers(order[i]);
    for (const NodeId* it = begin; it != end; ++it) {
      if (--waiting[*it] == 0) order.push_back(*it);
    }
  }
  return order;
}

DependentCounts::Counts DependentCounts::compute(const DrvGraph& graph, const std::vector<NodeId>& seeds,
                                                 const std::vector<char>& marked) {
  Counts counts;
  counts.dependents.assign(seeds.size(), 0);
  counts.marked.assign(seeds.size(), 0);
  counts.dependsOnASeed.assign(graph.size(), 0);
  if (seeds.empty()) return counts;

  Ordered g;
  g.order = dependencyOrder(graph);
  const std::size_t n = g.order.size();
  std::vector<std::uint32_t> position(graph.size(), UINT32_MAX);
  for (std::uint32_t i = 0; i < n; ++i) position[g.order[i]] = i;
  g.offsets.assign(n + 1, 0);
  g.inputs.reserve(graph.edgeCount());
  g.rankAt.assign(n, UINT32_MAX);
  g.markedAt.assign(n, 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    auto [begin, end] = graph.references(g.order[i]);
    for (const NodeId* it = begin; it != end; ++it) g.inputs.push_back(position[*it]);
    g.offsets[i + 1] = static_cast<std::uint32_t>(g.inputs.size());
    g.markedAt[i] = static_cast<char>(g.order[i] < marked.size() && marked[g.order[i]] != 0);
  }
  for (std::uint32_t r = 0; r < seeds.size(); ++r) {
    if (seeds[r] < graph.size() && position[seeds[r]] != UINT32_MAX) g.rankAt[position[seeds[r]]] = r;
  }

  std::vector<char> dependsAt(n, 0);
  passes(g, seeds.size(), counts, dependsAt);
  for (std::uint32_t i = 0; i < n; ++i) counts.dependsOnASeed[g.order[i]] = dependsAt[i];
  return counts;
}

}  // namespace ekaci::graph
