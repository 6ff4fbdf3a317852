#include "kernel/graph/ClosureWalker.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "kernel/nix/DerivationParser.h"

namespace ekaci::graph {

ClosureWalk ClosureWalker::walk(const std::vector<std::string>& roots, const Options& options,
                                const std::function<void(std::size_t parsed)>& progress) {
  ClosureWalk result;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<NodeId> queue;
  std::size_t busy = 0, parsed = 0;

  auto add = [&](const std::string& path, bool root = false) -> std::optional<NodeId> {
    // Under the lock.
    if (auto existing = result.graph.find(path)) return existing;
    if (!root && options.within != nullptr && options.within->count(path) == 0) return std::nullopt;
    if (result.graph.size() >= options.capacity) {
      result.graph.markTruncated();
      return std::nullopt;
    }
    NodeId id = result.graph.intern(path);
    result.facts.emplace_back();
    queue.push_back(id);
    return id;
  };
  {
    std::lock_guard lock(mutex);
    for (const auto& root : roots) add(root, true);
  }

  auto worker = [&] {
    std::unique_lock lock(mutex);
    while (true) {
      wake.wait(lock, [&] { return !queue.empty() || busy == 0; });
      if (queue.empty()) {
        wake.notify_all();
        return;
      }
      if (options.cancel != nullptr && options.cancel->load()) {
        queue.clear();
        wake.notify_all();
        return;
      }
      NodeId id = queue.front();
      queue.pop_front();
      const std::string path = result.graph.path(id);
      ++busy;
      lock.unlock();
      auto drv = nix::DerivationParser::parseFile(path);
      lock.lock();
      --busy;
      ++parsed;
      if (!drv) {
        result.unreadable.emplace_back(path, drv.error().message());
      } else {
        DrvFacts& facts = result.facts[id];
        facts.system = drv->platform;
        facts.fixedOutput = drv->isFixedOutput();
        facts.preferLocalBuild = drv->preferLocalBuild();
        facts.requiredSystemFeatures = drv->requiredSystemFeatures();
        for (const auto& output : drv->outputs) facts.outputs.emplace_back(output.name, output.path);
        result.graph.setSystem(id, drv->platform);
        result.graph.setFixedOutput(id, facts.fixedOutput);
        for (const auto& [input, outputs] : drv->inputDrvs) {
          if (auto dep = add(input)) result.graph.addEdge(id, *dep);
        }
      }
      if (progress && parsed % 1000 == 0) progress(parsed);
      wake.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, options.threads); ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  result.graph.freeze();
  if (progress) progress(parsed);
  return result;
}

}  // namespace ekaci::graph
