#include "kernel/review/RebuildImpact.h"

#include <algorithm>
#include <cstdint>

#include "kernel/graph/DependentCounts.h"

namespace ekaci::review {

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
  // Every seed's dependents in one pass over the graph per 64 seeds (DependentCounts).
  if (!seeds.empty()) {
    std::vector<graph::NodeId> nodes;
    nodes.reserve(seeds.size());
    for (const auto& seed : seeds) nodes.push_back(seed.node);
    const auto counts = graph::DependentCounts::compute(graph, nodes, isJob);
    for (std::size_t r = 0; r < seeds.size(); ++r) {
      auto& change = review.changes[seeds[r].change];
      change.dependentJobs = counts.marked[r];
      if (options.full) change.dependentDerivations = counts.dependents[r];
    }
    for (graph::NodeId node = 0; node < graph.size(); ++node) {
      if (counts.dependsOnASeed[node] != 0 && seedOf[node] != SIZE_MAX) {
        review.changes[seedOf[node]].dependencyRebuilt = true;
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
