#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kernel/scheduler/BuildState.h"
#include "kernel/scheduler/BuilderPool.h"

namespace ekaci::scheduler {

using BuildNodeId = std::uint32_t;

// The derivations open jobsets want built, with their inputs that are built here too: dense
// integer ids, edges both ways, each derivation's state and the jobsets that need it. Nodes
// are added as jobsets arrive; nodes no open jobset needs may be removed (GraphEviction picks
// them) and their slots are reused; everything is dropped at once when nothing is open.
//
// Threading: not synchronised; the scheduler uses it under its lock.
class BuildGraph {
 public:
  struct Node {
    std::int64_t drvId = 0;
    std::string path;  // empty: a free slot
    BuildRequirements needs;
    std::vector<std::string> outputs;
    std::vector<BuildNodeId> deps;  // inputs that are built here too
    std::vector<BuildNodeId> dependents;
    BuildStatus status;
    std::int64_t attempt = 0;   // last attempt number persisted
    int failuresThisRound = 0;  // for the single automatic retry
    std::string detail;
    std::string builder;
    std::set<std::int64_t> jobsets;  // open jobsets that need it
    std::shared_ptr<std::atomic<bool>> cancel;
    bool stoppedForShutdown = false;
    std::uint64_t lastClaimed = 0;  // when a jobset last claimed it (graph-local clock)
  };

  std::optional<BuildNodeId> find(std::string_view drvPath) const;
  BuildNodeId add(Node node);
  // `node` needs `input` (built here too).
  void link(BuildNodeId node, BuildNodeId input);
  // Every node `roots` need within the graph, roots included; each is marked as needed by
  // `jobset`.
  std::vector<BuildNodeId> claim(const std::vector<BuildNodeId>& roots, std::int64_t jobset);
  // Frees the nodes' slots. No node that stays may depend on one removed (the caller removes
  // sets closed under dependents); references from the inputs that stay are dropped.
  void remove(const std::vector<BuildNodeId>& nodes);

  Node& operator[](BuildNodeId id) { return nodes_[id]; }
  const Node& operator[](BuildNodeId id) const { return nodes_[id]; }
  bool live(BuildNodeId id) const { return id < nodes_.size() && !nodes_[id].path.empty(); }
  // Nodes in the graph (free slots not counted).
  std::size_t size() const noexcept { return index_.size(); }
  bool empty() const noexcept { return index_.empty(); }
  // Every slot, free ones included (their path is empty).
  const std::vector<Node>& nodes() const noexcept { return nodes_; }
  // An estimate of the memory the graph holds, in bytes.
  std::size_t memoryBytes() const;
  void clear();

 private:
  std::vector<Node> nodes_;
  std::vector<BuildNodeId> free_;
  std::unordered_map<std::string, BuildNodeId> index_;
  std::uint64_t clock_ = 0;
};

}  // namespace ekaci::scheduler
