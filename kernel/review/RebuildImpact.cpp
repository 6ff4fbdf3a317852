#include "kernel/review/RebuildImpact.h"

#include <algorithm>
#include <cstdint>

namespace ekaci::review {
namespace {

// Every node after all of its inputs (Kahn's algorithm over the references).
std::vector<graph::NodeId> dependencyOrder(const graph::DrvGraph& graph) {
  std::vector<std::uint32_t> waiting(graph.size());
  std::vector<graph::NodeId> order;
  order.reserve(graph.size());
  for (graph::NodeId node = 0; node < graph.size(); ++node) {
    auto [begin, end] = graph.references(node);
    waiting[node] = static_cast<std::uint32_t>(end - begin);
    if (waiting[node] == 0) order.push_back(node);
  }
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto [begin, end] = graph.referrers(order[i]);
    for (const graph::NodeId* it = begin; it != end; ++it) {
      if (--waiting[*it] == 0) order.push_back(*it);
    }
  }
  return order;  // a cycle (never in a store) would leave its nodes out
}

}  // namespace

void RebuildImpact::compute(const graph::DrvGraph& graph, const std::vector<sdk::EvalItem>& head, JobReview& review,
                            const Options& options) {
  std::vector<char> isJob(graph.size(), 0);
  for (const auto& item : head) {
    if (item.error) continue;
    if (auto node = graph.find(item.drvPath)) isJob[*node] = 1;
  }
  struct Seed {
    std::size_t change;
    graph::NodeId node;
    std::size_t direct;
  };
  std::vector<Seed> seeds;
  for (std::size_t i = 0; i < review.changes.size(); ++i) {
    const auto& change = review.changes[i];
    if (!change.rebuild || change.change == ChangeClass::Removed) continue;
    auto node = graph.find(change.drvPath);
    if (!node) continue;
    auto [begin, end] = graph.referrers(*node);
    seeds.push_back({i, *node, static_cast<std::size_t>(end - begin)});
  }
  std::vector<std::size_t> seedOf(graph.size(), SIZE_MAX);
  for (const auto& seed : seeds) seedOf[seed.node] = seed.change;
  std::sort(seeds.begin(), seeds.end(), [](const Seed& a, const Seed& b) { return a.direct > b.direct; });
  if (seeds.size() > options.maxSeeds) {
    review.notes.push_back("blast radius computed for the " + std::to_string(options.maxSeeds) +
                           " rebuilt packages with the most direct dependents only");
    seeds.resize(options.maxSeeds);
  }
  // A rebuilt package that depends on another rebuilt package rebuilds (at least) because of
  // it; one that does not changed itself (its source, patches or build).
  //
  // Every seed's dependents, 64 seeds at a time: one pass over the graph in dependency order
  // carries, per node, the set of seeds it depends on (a bit each) from its inputs. A mass
  // rebuild (thousands of seeds, each reaching most of the graph) costs one pass per 64
  // seeds instead of one walk per seed.
  if (!seeds.empty()) {
    // The graph renumbered in dependency order (position i's inputs all sit before i), with
    // its references as positions: each pass then reads its arrays front to back.
    const std::vector<graph::NodeId> order = dependencyOrder(graph);
    std::vector<std::uint32_t> position(graph.size(), UINT32_MAX);
    for (std::uint32_t i = 0; i < order.size(); ++i) position[order[i]] = i;
    std::vector<std::uint32_t> offsets(order.size() + 1, 0), inputs;
    inputs.reserve(graph.edgeCount());
    std::vector<std::uint32_t> rankAt(order.size(), UINT32_MAX);  // the seed's rank, by position
    std::vector<std::uint8_t> jobAt(order.size(), 0);
    std::vector<std::size_t> changeAt(order.size(), SIZE_MAX);
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      auto [begin, end] = graph.references(order[i]);
      for (const graph::NodeId* it = begin; it != end; ++it) inputs.push_back(position[*it]);
      offsets[i + 1] = static_cast<std::uint32_t>(inputs.size());
      jobAt[i] = isJob[order[i]];
      changeAt[i] = seedOf[order[i]];
    }
    for (std::uint32_t r = 0; r < seeds.size(); ++r) {
      if (position[seeds[r].node] != UINT32_MAX) rankAt[position[seeds[r].node]] = r;
    }
    // out[i]: the seeds of this pass that position i is or depends on, a bit each.
    std::vector<std::uint64_t> out(order.size());
    for (std::size_t first = 0; first < seeds.size(); first += 64) {
      const std::size_t count = std::min<std::size_t>(64, seeds.size() - first);
      // Per-seed counts as bit planes: plane p holds bit p of every seed's count, so adding
      // a node's set of seeds is a carry through a few words instead of a loop over its bits.
      std::uint64_t allPlanes[32] = {}, jobPlanes[32] = {};
      auto add = [](std::uint64_t(&planes)[32], std::uint64_t bits) {
        for (int p = 0; bits != 0 && p < 32; ++p) {
          const std::uint64_t carry = planes[p] & bits;
          planes[p] ^= bits;
          bits = carry;
        }
      };
      for (std::uint32_t i = 0; i < order.size(); ++i) {
        std::uint64_t bits = 0;
        for (std::uint32_t e = offsets[i]; e < offsets[i + 1]; ++e) bits |= out[inputs[e]];
        if (bits != 0) {
          if (changeAt[i] != SIZE_MAX) review.changes[changeAt[i]].dependencyRebuilt = true;
          add(allPlanes, bits);
          if (jobAt[i] != 0) add(jobPlanes, bits);
        }
        const std::uint32_t rank = rankAt[i];
        out[i] = bits | (rank >= first && rank < first + count ? std::uint64_t{1} << (rank - first) : 0);
      }
      for (std::size_t k = 0; k < count; ++k) {
        std::size_t all = 0, jobs = 0;
        for (int p = 0; p < 32; ++p) {
          all |= static_cast<std::size_t>((allPlanes[p] >> k) & 1u) << p;
          jobs |= static_cast<std::size_t>((jobPlanes[p] >> k) & 1u) << p;
        }
        review.changes[seeds[first + k].change].dependentJobs = jobs;
        if (options.full) review.changes[seeds[first + k].change].dependentDerivations = all;
      }
    }
  }
  review.fullBlastRadius = options.full;
  std::vector<const PackageChange*> ranked;
  for (const auto& change : review.changes) {
    if (change.rebuild && change.change != ChangeClass::Removed) ranked.push_back(&change);
  }
  std::sort(ranked.begin(), ranked.end(), [](const PackageChange* a, const PackageChange* b) {
    return a->dependentJobs != b->dependentJobs ? a->dependentJobs > b->dependentJobs : a->attr < b->attr;
  });
  review.topBlastRadius.clear();
  for (std::size_t i = 0; i < ranked.size() && i < options.top; ++i) review.topBlastRadius.push_back(ranked[i]->attr);
  review.graphNodes = graph.size();
  review.graphEdges = graph.edgeCount();
  review.graphTruncated = graph.truncated();
}

}  // namespace ekaci::review
