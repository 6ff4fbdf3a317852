#include "kernel/graph/ClosureWalker.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "kernel/nix/DerivationParser.h"

namespace ekaci::graph {
namespace {

// One derivation as a worker reads it, outside the walk's lock.
struct Read {
  DrvFacts facts;
  std::vector<std::string> inputs;
  bool ok = false;
  std::string error;  // why not
};

Read readOne(const std::string& path) {
  Read out;
  auto drv = nix::DerivationParser::parseFile(path);
  if (!drv) {
    out.error = drv.error().message();
    return out;
  }
  out.facts.system = std::move(drv->platform);
  out.facts.fixedOutput = drv->isFixedOutput();
  out.facts.preferLocalBuild = drv->preferLocalBuild();
  out.facts.requiredSystemFeatures = drv->requiredSystemFeatures();
  for (auto& output : drv->outputs) out.facts.outputs.emplace_back(std::move(output.name), std::move(output.path));
  for (auto& [input, outputs] : drv->inputDrvs) out.inputs.push_back(std::move(input));
  out.ok = true;
  return out;
}

}  // namespace

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

  // A worker takes a share of the queue at once, reads it without the lock, and records it
  // under one lock: few lock round-trips and wake-ups per derivation.
  constexpr std::size_t kMostPerTake = 32;
  const std::size_t workers = std::max<std::size_t>(1, options.threads);
  auto worker = [&] {
    std::vector<std::pair<NodeId, std::string>> taken;
    std::vector<Read> read;
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
      const std::size_t take = std::clamp<std::size_t>(queue.size() / workers, 1, kMostPerTake);
      taken.clear();
      for (std::size_t k = 0; k < take; ++k) {
        taken.emplace_back(queue.front(), result.graph.path(queue.front()));
        queue.pop_front();
      }
      ++busy;
      lock.unlock();
      read.resize(taken.size());
      for (std::size_t k = 0; k < taken.size(); ++k) read[k] = readOne(taken[k].second);
      lock.lock();
      --busy;
      for (std::size_t k = 0; k < taken.size(); ++k) {
        const NodeId id = taken[k].first;
        Read& one = read[k];
        ++parsed;
        if (!one.ok) {
          result.unreadable.emplace_back(std::move(taken[k].second), std::move(one.error));
        } else {
          result.graph.setSystem(id, one.facts.system);
          result.graph.setFixedOutput(id, one.facts.fixedOutput);
          result.facts[id] = std::move(one.facts);
          for (const auto& input : one.inputs) {
            if (auto dep = add(input)) result.graph.addEdge(id, *dep);
          }
        }
        if (progress && parsed % 1000 == 0) progress(parsed);
      }
      // Others wait for work, or for the walk to end.
      if (!queue.empty() || busy == 0) wake.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < workers; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  result.graph.freeze();
  if (progress) progress(parsed);
  return result;
}

}  // namespace ekaci::graph
