#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ekaci::graph {

using NodeId = std::uint32_t;

// The derivation dependency graph, compact enough for a Nixpkgs-sized closure: nodes are
// dense integer ids, derivation paths are interned once (without the /nix/store/ prefix),
// and edges live in two CSR arrays (references and referrers) built once, after all edges
// are known. About 60 bytes per node plus 8 bytes per edge; no heap node objects.
//
// Threading: build on one thread; once frozen, const methods may run concurrently.
class DrvGraph {
 public:
  // Returns the id of `drvPath`, adding the node if needed (before freeze() only).
  NodeId intern(std::string_view drvPath);
  std::optional<NodeId> find(std::string_view drvPath) const;
  std::string path(NodeId id) const;
  std::size_t size() const noexcept { return names_.size(); }

  // `referrer` depends on `reference` (an inputDrv). Before freeze() only.
  void addEdge(NodeId referrer, NodeId reference);
  void setSystem(NodeId id, std::string_view system);
  void setFixedOutput(NodeId id, bool fixedOutput);
  // Builds the adjacency arrays; edges added twice are kept once.
  void freeze();
  bool frozen() const noexcept { return frozen_; }

  std::size_t edgeCount() const noexcept { return referenceTargets_.size(); }
  const std::string& system(NodeId id) const { return systems_[systemOf_[id]]; }
  bool isFixedOutput(NodeId id) const { return fixedOutput_[id] != 0; }

  // Direct neighbours (frozen graphs only).
  std::pair<const NodeId*, const NodeId*> references(NodeId id) const;
  std::pair<const NodeId*, const NodeId*> referrers(NodeId id) const;

  // Every node that depends on any seed, directly or transitively (seeds excluded unless
  // they depend on one another). `visit` is called once per such node.
  template <typename Visit>
  void forEachDependent(const std::vector<NodeId>& seeds, Visit visit) const;
  std::size_t dependentCount(const std::vector<NodeId>& seeds) const;

  // Approximate memory held, for the metrics and the benchmark.
  std::size_t memoryBytes() const;

  // Marks the graph as cut short (a capacity limit was reached while building).
  void markTruncated() { truncated_ = true; }
  bool truncated() const noexcept { return truncated_; }

 private:
  std::deque<std::string> names_;                       // a deque never moves its elements,
  std::unordered_map<std::string_view, NodeId> index_;  // so these views into it stay valid
  std::vector<std::uint16_t> systemOf_;
  std::vector<std::string> systems_;
  std::vector<std::uint8_t> fixedOutput_;
  std::vector<std::pair<NodeId, NodeId>> pendingEdges_;
  std::vector<std::uint32_t> referenceOffsets_, referrerOffsets_;
  std::vector<NodeId> referenceTargets_, referrerTargets_;
  mutable std::vector<std::uint32_t> visitMark_;
  mutable std::uint32_t visitEpoch_ = 0;
  bool frozen_ = false;
  bool truncated_ = false;
};

template <typename Visit>
void DrvGraph::forEachDependent(const std::vector<NodeId>& seeds, Visit visit) const {
  if (visitMark_.size() != names_.size()) {
    visitMark_.assign(names_.size(), 0);
    visitEpoch_ = 0;
  }
  if (++visitEpoch_ == 0) {
    std::fill(visitMark_.begin(), visitMark_.end(), 0);
    visitEpoch_ = 1;
  }
  std::vector<NodeId> stack(seeds.begin(), seeds.end());
  while (!stack.empty()) {
    NodeId node = stack.back();
    stack.pop_back();
    auto [begin, end] = referrers(node);
    for (const NodeId* it = begin; it != end; ++it) {
      if (visitMark_[*it] == visitEpoch_) continue;
      visitMark_[*it] = visitEpoch_;
      visit(*it);
      stack.push_back(*it);
    }
  }
}

}  // namespace ekaci::graph
