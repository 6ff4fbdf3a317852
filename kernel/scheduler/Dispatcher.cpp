#include "kernel/scheduler/Dispatcher.h"

namespace ekaci::scheduler {
namespace {
constexpr std::size_t kScanPerQueue = 64;  // buildable entries looked at per queue and plan
}  // namespace

std::string Dispatcher::queueName(const BuildRequirements& needs) {
  return needs.system + (needs.fixedOutput ? "/fixed-output" : "/build");
}

void Dispatcher::enqueue(BuildNodeId node, const BuildRequirements& needs, std::int64_t rebuildCount,
                         std::int64_t submittedAt) {
  ready_[queueName(needs)].insert(Key{rebuildCount, submittedAt, ++sequence_, node});
}

Dispatcher::Plan Dispatcher::plan(const BuildGraph& graph, BuilderPool& pool) {
  Plan plan;
  for (auto& [queue, entries] : ready_) {
    std::size_t scanned = 0;
    for (auto it = entries.begin(); it != entries.end() && scanned < kScanPerQueue;) {
      const BuildNodeId n = it->node;
      const auto& node = graph[n];
      if (node.status.state != BuildState::Buildable) {
        it = entries.erase(it);
        continue;
      }
      if (node.jobsets.empty()) {
        it = entries.erase(it);
        plan.abandoned.push_back(n);
        continue;
      }
      ++scanned;
      const auto route = pool.route(node.needs);
      if (route.verdict == BuilderPool::Verdict::Busy) {
        ++it;
        continue;
      }
      it = entries.erase(it);
      if (route.verdict == BuilderPool::Verdict::Unsatisfiable) {
        plan.unsatisfiable.emplace_back(n, route.reason);
        continue;
      }
      // A local slot takes more buildable derivations of this queue that it can build.
      Launch launch{route.builder, {n}};
      const nix::BuilderSpec& spec = pool.spec(route.builder);
      if (spec.kind != nix::BuilderKind::Remote) {
        std::size_t looked = 0;
        for (auto more = it; more != entries.end() && launch.nodes.size() < batchSize_ && looked++ < kScanPerQueue;) {
          const auto& other = graph[more->node];
          if (other.status.state == BuildState::Buildable && !other.jobsets.empty() &&
              spec.canBuild(other.needs.system, other.needs.features) &&
              other.needs.fixedOutput == node.needs.fixedOutput &&
              (!other.needs.preferLocal || spec.kind == nix::BuilderKind::Local)) {
            launch.nodes.push_back(more->node);
            more = entries.erase(more);
          } else {
            ++more;
          }
        }
        it = entries.begin();  // erasures above may have moved past `it`; rescan from the front
        scanned = 0;
      }
      pool.acquire(route.builder);
      plan.launches.push_back(std::move(launch));
    }
  }
  return plan;
}

void Dispatcher::forget(const std::vector<BuildNodeId>& nodes) {
  if (nodes.empty()) return;
  const std::set<BuildNodeId> gone(nodes.begin(), nodes.end());
  for (auto& [queue, entries] : ready_) {
    std::erase_if(entries, [&](const Key& key) { return gone.count(key.node) > 0; });
  }
}

std::map<std::string, std::size_t> Dispatcher::lengths() const {
  std::map<std::string, std::size_t> out;
  for (const auto& [queue, entries] : ready_) out[queue] = entries.size();
  return out;
}

std::vector<BuildNodeId> Dispatcher::waiting(std::size_t limit) const {
  std::vector<BuildNodeId> out;
  for (const auto& [queue, entries] : ready_) {
    for (const auto& key : entries) {
      if (out.size() >= limit) return out;
      out.push_back(key.node);
    }
  }
  return out;
}

}  // namespace ekaci::scheduler
