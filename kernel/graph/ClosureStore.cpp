#include "kernel/graph/ClosureStore.h"

namespace ekaci::graph {

sdk::Result<std::vector<std::int64_t>> ClosureStore::save(const ClosureWalk& walk, storage::Storage& storage) {
  std::vector<storage::DrvRecord> nodes(walk.graph.size());
  for (NodeId id = 0; id < walk.graph.size(); ++id) {
    const DrvFacts& facts = walk.facts[id];
    nodes[id].drvPath = walk.graph.path(id);
    nodes[id].system = facts.system.empty() ? "unknown" : facts.system;
    nodes[id].isFixedOutput = facts.fixedOutput;
    nodes[id].preferLocalBuild = facts.preferLocalBuild;
    nodes[id].requiredFeatures = facts.requiredSystemFeatures;
    nodes[id].outputs = facts.outputs;
  }
  auto ids = storage.upsertDrvs(nodes);
  if (!ids) return std::move(ids).error();
  std::vector<std::pair<std::int64_t, std::int64_t>> edges;
  edges.reserve(walk.graph.edgeCount());
  for (NodeId id = 0; id < walk.graph.size(); ++id) {
    auto [begin, end] = walk.graph.references(id);
    for (const NodeId* it = begin; it != end; ++it) edges.emplace_back((*ids)[id], (*ids)[*it]);
  }
  if (auto stored = storage.insertDrvReferences(edges); !stored) return std::move(stored).error();
  return ids;
}

}  // namespace ekaci::graph
