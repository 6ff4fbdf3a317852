#include "kernel/graph/DrvGraph.h"

#include <algorithm>
#include <stdexcept>

namespace ekaci::graph {
namespace {
constexpr std::string_view kStorePrefix = "/nix/store/";

std::string_view strip(std::string_view path) {
  return path.substr(0, kStorePrefix.size()) == kStorePrefix ? path.substr(kStorePrefix.size()) : path;
}

// Builds CSR arrays from (from, to) pairs sorted by `from`.
void buildCsr(std::vector<std::pair<NodeId, NodeId>>& edges, std::size_t nodes, std::vector<std::uint32_t>& offsets,
              std::vector<NodeId>& targets) {
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  offsets.assign(nodes + 1, 0);
  for (const auto& [from, to] : edges) ++offsets[from + 1];
  for (std::size_t i = 0; i < nodes; ++i) offsets[i + 1] += offsets[i];
  targets.resize(edges.size());
  for (std::size_t i = 0; i < edges.size(); ++i) targets[i] = edges[i].second;
}
}  // namespace

NodeId DrvGraph::intern(std::string_view drvPath) {
  const std::string_view key = strip(drvPath);
  if (auto it = index_.find(key); it != index_.end()) return it->second;
  if (frozen_) throw std::logic_error("DrvGraph::intern after freeze");
  names_.emplace_back(key);
  const NodeId id = static_cast<NodeId>(names_.size() - 1);
  index_.emplace(names_.back(), id);
  systemOf_.push_back(0);
  fixedOutput_.push_back(0);
  if (systems_.empty()) systems_.emplace_back("unknown");
  return id;
}

std::optional<NodeId> DrvGraph::find(std::string_view drvPath) const {
  auto it = index_.find(strip(drvPath));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string DrvGraph::path(NodeId id) const {
  const std::string& name = names_.at(id);
  // Store paths are kept without their prefix; anything else (a .drv outside the store) as is.
  return name.empty() || name.front() == '/' ? name : std::string(kStorePrefix) + name;
}

void DrvGraph::addEdge(NodeId referrer, NodeId reference) {
  if (frozen_) throw std::logic_error("DrvGraph::addEdge after freeze");
  pendingEdges_.emplace_back(referrer, reference);
}

void DrvGraph::setSystem(NodeId id, std::string_view system) {
  for (std::size_t i = 0; i < systems_.size(); ++i) {
    if (systems_[i] == system) {
      systemOf_[id] = static_cast<std::uint16_t>(i);
      return;
    }
  }
  systems_.emplace_back(system);
  systemOf_[id] = static_cast<std::uint16_t>(systems_.size() - 1);
}

void DrvGraph::setFixedOutput(NodeId id, bool fixedOutput) { fixedOutput_[id] = fixedOutput ? 1 : 0; }

void DrvGraph::freeze() {
  if (frozen_) return;
  std::vector<std::pair<NodeId, NodeId>> reversed;
  reversed.reserve(pendingEdges_.size());
  for (const auto& [from, to] : pendingEdges_) reversed.emplace_back(to, from);
  buildCsr(pendingEdges_, names_.size(), referenceOffsets_, referenceTargets_);
  buildCsr(reversed, names_.size(), referrerOffsets_, referrerTargets_);
  pendingEdges_.clear();
  pendingEdges_.shrink_to_fit();
  frozen_ = true;
}

std::pair<const NodeId*, const NodeId*> DrvGraph::references(NodeId id) const {
  const NodeId* base = referenceTargets_.data();
  return {base + referenceOffsets_[id], base + referenceOffsets_[id + 1]};
}

std::pair<const NodeId*, const NodeId*> DrvGraph::referrers(NodeId id) const {
  const NodeId* base = referrerTargets_.data();
  return {base + referrerOffsets_[id], base + referrerOffsets_[id + 1]};
}

std::size_t DrvGraph::dependentCount(const std::vector<NodeId>& seeds) const {
  std::size_t n = 0;
  forEachDependent(seeds, [&](NodeId) { ++n; });
  return n;
}

std::size_t DrvGraph::memoryBytes() const {
  std::size_t bytes = 0;
  for (const auto& name : names_) bytes += sizeof(std::string) + (name.size() > 15 ? name.capacity() + 1 : 0);
  bytes += index_.size() * (sizeof(std::string_view) + sizeof(NodeId) + 2 * sizeof(void*)) +
           index_.bucket_count() * sizeof(void*);
  bytes += systemOf_.capacity() * sizeof(std::uint16_t) + fixedOutput_.capacity();
  bytes += (referenceOffsets_.capacity() + referrerOffsets_.capacity()) * sizeof(std::uint32_t);
  bytes += (referenceTargets_.capacity() + referrerTargets_.capacity()) * sizeof(NodeId);
  bytes += visitMark_.capacity() * sizeof(std::uint32_t);
  return bytes;
}

}  // namespace ekaci::graph
