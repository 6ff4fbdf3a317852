#include "kernel/scheduler/BuildGraph.h"

namespace ekaci::scheduler {

std::optional<BuildNodeId> BuildGraph::find(std::string_view drvPath) const {
  auto it = index_.find(std::string(drvPath));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

BuildNodeId BuildGraph::add(Node node) {
  const auto id = static_cast<BuildNodeId>(nodes_.size());
  index_.emplace(node.path, id);
  nodes_.push_back(std::move(node));
  return id;
}

void BuildGraph::link(BuildNodeId node, BuildNodeId input) {
  nodes_[node].deps.push_back(input);
  nodes_[input].dependents.push_back(node);
}

std::vector<BuildNodeId> BuildGraph::claim(const std::vector<BuildNodeId>& roots, std::int64_t jobset) {
  std::vector<BuildNodeId> closure;
  std::vector<bool> seen(nodes_.size(), false);
  std::vector<BuildNodeId> stack = roots;
  while (!stack.empty()) {
    const BuildNodeId n = stack.back();
    stack.pop_back();
    if (seen[n]) continue;
    seen[n] = true;
    nodes_[n].jobsets.insert(jobset);
    closure.push_back(n);
    for (BuildNodeId d : nodes_[n].deps) stack.push_back(d);
  }
  return closure;
}

void BuildGraph::clear() {
  nodes_.clear();
  nodes_.shrink_to_fit();
  index_.clear();
}

}  // namespace ekaci::scheduler
