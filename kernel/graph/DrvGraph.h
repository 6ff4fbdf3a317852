#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ekaci::graph {

using NodeId = std::uint32_t;

// The derivation dependency graph, compact enough for a Nixpkgs-sized closure and beyond:
// nodes are dense integer ids; a store path is kept as its 20-byte hash (the 32 base-32
// characters decoded) plus its name in one shared buffer, without "/nix/store/" and ".drv";
// the index is an open-addressing table of ids; edges live in two CSR arrays (references and
// referrers) built once, after all edges are known. About 40 bytes per node plus the name's
// length, and 8 bytes per edge; no heap object per node.
//
// Threading: build on one thread; once frozen, const methods other than the walks may run
// concurrently (a walk uses the graph's visit marks).
class DrvGraph {
 public:
  // Returns the id of `drvPath`, adding the node if needed (before freeze() only).
  NodeId intern(std::string_view drvPath);
  std::optional<NodeId> find(std::string_view drvPath) const;
  std::string path(NodeId id) const;
  std::size_t size() const noexcept { return flags_.size(); }

  // `referrer` depends on `reference` (an inputDrv). Before freeze() only.
  void addEdge(NodeId referrer, NodeId reference);
  void setSystem(NodeId id, std::string_view system);
  void setFixedOutput(NodeId id, bool fixedOutput);
  // Builds the adjacency arrays; edges added twice are kept once.
  void freeze();
  bool frozen() const noexcept { return frozen_; }

  std::size_t edgeCount() const noexcept { return referenceTargets_.size(); }
  const std::string& system(NodeId id) const { return systems_[systemOf_[id]]; }
  bool isFixedOutput(NodeId id) const { return (flags_[id] & kFixedOutput) != 0; }

  // Direct neighbours (frozen graphs only).
  std::pair<const NodeId*, const NodeId*> references(NodeId id) const;
  std::pair<const NodeId*, const NodeId*> referrers(NodeId id) const;

  // Every node that depends on any seed, directly or transitively (seeds excluded unless
  // they depend on one another). `visit` is called once per such node.
  template <typename Visit>
  void forEachDependent(const std::vector<NodeId>& seeds, Visit visit) const;
  std::size_t dependentCount(const std::vector<NodeId>& seeds) const;

  // Memory held (capacities of every array), for the metrics and the benchmark.
  std::size_t memoryBytes() const;

  // Marks the graph as cut short (a capacity limit was reached while building).
  void markTruncated() { truncated_ = true; }
  bool truncated() const noexcept { return truncated_; }

 private:
  static constexpr std::uint8_t kHashed = 1;     // "<32 base-32 chars>-<name>": hash kept decoded
  static constexpr std::uint8_t kDrvSuffix = 2;  // ".drv" dropped from the name
  static constexpr std::uint8_t kFixedOutput = 4;
  static constexpr std::uint8_t kStore = 8;  // under /nix/store/ (the prefix dropped)
  static constexpr std::uint8_t kIdentity = kHashed | kDrvSuffix | kStore;
  static constexpr std::size_t kHashBytes = 20;
  static constexpr NodeId kEmpty = UINT32_MAX;

  // A path taken apart the way nodes keep it.
  struct Key {
    std::uint8_t flags = 0;
    std::uint8_t hash[kHashBytes] = {};
    std::string_view name;
  };
  static Key split(std::string_view drvPath);
  std::optional<NodeId> find(const Key& key) const;
  static std::uint64_t hashOf(const Key& key);
  std::string_view nameOf(NodeId id) const;
  std::uint64_t hashOf(NodeId id) const;
  bool matches(NodeId id, const Key& key) const;
  void growIndex();

  std::vector<std::uint8_t> hashes_;     // kHashBytes per node (zero when not hashed)
  std::string names_;                    // every node's name, back to back
  std::vector<std::uint32_t> nameEnds_;  // where node i's name ends in names_
  std::vector<std::uint8_t> flags_;
  std::vector<std::uint8_t> systemOf_;
  std::vector<std::string> systems_;
  std::vector<NodeId> index_;                     // open addressing, linear probing; kEmpty: free
  std::size_t slotOf(std::uint64_t hash) const {  // hash -> [0, capacity) without a power of two
    return static_cast<std::size_t>((static_cast<unsigned __int128>(hash) * index_.size()) >> 64);
  }
  std::vector<std::pair<NodeId, NodeId>> pendingEdges_;
  std::vector<std::uint32_t> referenceOffsets_, referrerOffsets_;
  std::vector<NodeId> referenceTargets_, referrerTargets_;
  mutable std::vector<std::uint64_t> visited_;  // one bit per node, cleared per walk
  bool frozen_ = false;
  bool truncated_ = false;
};

template <typename Visit>
void DrvGraph::forEachDependent(const std::vector<NodeId>& seeds, Visit visit) const {
  visited_.assign((size() + 63) / 64, 0);
  std::vector<NodeId> stack(seeds.begin(), seeds.end());
  while (!stack.empty()) {
    NodeId node = stack.back();
    stack.pop_back();
    auto [begin, end] = referrers(node);
    for (const NodeId* it = begin; it != end; ++it) {
      std::uint64_t& word = visited_[*it / 64];
      const std::uint64_t bit = std::uint64_t{1} << (*it % 64);
      if ((word & bit) != 0) continue;
      word |= bit;
      visit(*it);
      stack.push_back(*it);
    }
  }
}

}  // namespace ekaci::graph
