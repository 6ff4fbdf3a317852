#include "kernel/scheduler/BuildGraph.h"

#include <algorithm>

namespace ekaci::scheduler {

std::optional<BuildNodeId> BuildGraph::find(std::string_view drvPath) const {
  auto it = index_.find(std::string(drvPath));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

BuildNodeId BuildGraph::add(Node node) {
  BuildNodeId id = 0;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
    nodes_[id] = std::move(node);
  } else {
    id = static_cast<BuildNodeId>(nodes_.size());
    nodes_.push_back(std::move(node));
  }
  index_.emplace(nodes_[id].path, id);
  return id;
}

void BuildGraph::link(BuildNodeId node, BuildNodeId input) {
  nodes_[node].deps.push_back(input);
  nodes_[input].dependents.push_back(node);
}

std::vector<BuildNodeId> BuildGraph::claim(const std::vector<BuildNodeId>& roots, std::int64_t jobset) {
  const std::uint64_t now = ++clock_;
  std::vector<BuildNodeId> closure;
  std::vector<bool> seen(nodes_.size(), false);
  std::vector<BuildNodeId> stack = roots;
  while (!stack.empty()) {
    const BuildNodeId n = stack.back();
    stack.pop_back();
    if (seen[n]) continue;
    seen[n] = true;
    nodes_[n].jobsets.insert(jobset);
    nodes_[n].lastClaimed = now;
    closure.push_back(n);
    for (BuildNodeId d : nodes_[n].deps) stack.push_back(d);
  }
  return closure;
}

void BuildGraph::remove(const std::vector<BuildNodeId>& nodes) {
  std::vector<bool> gone(nodes_.size(), false);
  for (BuildNodeId n : nodes) gone[n] = live(n);
  for (BuildNodeId n : nodes) {
    if (!gone[n]) continue;
    for (BuildNodeId d : nodes_[n].deps) {
      if (gone[d]) continue;
      auto& back = nodes_[d].dependents;
      back.erase(std::remove(back.begin(), back.end(), n), back.end());
    }
  }
  for (BuildNodeId n : nodes) {
    if (!gone[n]) continue;
    gone[n] = false;  // a node listed twice is freed once
    index_.erase(nodes_[n].path);
    nodes_[n] = Node{};
    free_.push_back(n);
  }
}

std::size_t BuildGraph::memoryBytes() const {
  constexpr std::size_t kIndexEntry = 64;  // hash node, bucket and the key's own string
  constexpr std::size_t kSetEntry = 40;    // one std::set node
  std::size_t bytes = nodes_.capacity() * sizeof(Node) + free_.capacity() * sizeof(BuildNodeId);
  for (const auto& node : nodes_) {
    if (node.path.empty()) continue;
    bytes += 2 * node.path.capacity() + kIndexEntry + node.detail.capacity() + node.builder.capacity();
    bytes += (node.deps.capacity() + node.dependents.capacity()) * sizeof(BuildNodeId);
    bytes += node.jobsets.size() * kSetEntry;
    for (const auto& output : node.outputs) bytes += sizeof(std::string) + output.capacity();
    for (const auto& feature : node.needs.features) bytes += sizeof(std::string) + feature.capacity();
  }
  return bytes;
}

void BuildGraph::clear() {
  nodes_.clear();
  nodes_.shrink_to_fit();
  free_.clear();
  free_.shrink_to_fit();
  index_.clear();
}

}  // namespace ekaci::scheduler
