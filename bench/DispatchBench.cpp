// What one build start costs the dispatcher as the queue grows: N buildable derivations
// wait (1,000 to 100,000, as a mass rebuild would leave them), one local slot frees, the
// dispatcher picks the most urgent and takes the slot; the derivation then goes back to the
// queue so the length stays N. Hydra's queue runner is known for minutes-long gaps at 140k
// queued builds; here the time per start should not depend on N.
#include <benchmark/benchmark.h>

#include <memory>

#include "kernel/scheduler/Dispatcher.h"
#include "kernel/scheduler/GraphEviction.h"

namespace {

using ekaci::scheduler::BuildGraph;
using ekaci::scheduler::BuildNodeId;

void BM_DispatchOneStart(benchmark::State& state) {
  const auto queued = static_cast<std::size_t>(state.range(0));
  ekaci::scheduler::SchedulerConfig config;
  config.localMaxJobs = 1;
  ekaci::scheduler::BuilderPool pool(config, "x86_64-linux");
  ekaci::scheduler::Dispatcher dispatcher(8);
  BuildGraph graph;
  for (std::size_t i = 0; i < queued; ++i) {
    BuildGraph::Node node;
    node.path = "/nix/store/" + std::to_string(1000000000000ull + i) + "abcdefghijklmnopqrs-package.drv";
    node.needs.system = "x86_64-linux";
    node.status = ekaci::scheduler::BuildStatus{ekaci::scheduler::BuildState::Buildable};
    node.jobsets.insert(static_cast<std::int64_t>(i % 50));
    const BuildNodeId id = graph.add(std::move(node));
    dispatcher.enqueue(id, graph[id].needs, static_cast<std::int64_t>(i % 1000), static_cast<std::int64_t>(i));
  }
  std::size_t started = 0;
  for (auto _ : state) {
    auto plan = dispatcher.plan(graph, pool);
    for (const auto& launch : plan.launches) {
      started += launch.nodes.size();
      pool.release(launch.builder);
      for (BuildNodeId n : launch.nodes) dispatcher.enqueue(n, graph[n].needs, 0, 0);
    }
  }
  state.counters["queued"] = static_cast<double>(queued);
  state.counters["starts"] = benchmark::Counter(static_cast<double>(started), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DispatchOneStart)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMicrosecond);

// A build graph of N derivations past graph_lru_capacity (chains of 10, as layers of a
// closure; half of them finished and free, the rest needed by an open jobset): choosing the
// 10 % that leave, removing them, and the census the gauges take. The graph is rebuilt
// outside the timing for each iteration.
void BM_EvictTenPercent(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  std::size_t evicted = 0;
  std::unique_ptr<BuildGraph> previous;  // destroyed outside the timing
  for (auto _ : state) {
    state.PauseTiming();
    previous.reset();
    auto owned = std::make_unique<BuildGraph>();
    BuildGraph& graph = *owned;
    for (std::size_t i = 0; i < size; ++i) {
      BuildGraph::Node node;
      node.path = "/nix/store/" + std::to_string(1000000000000ull + i) + "abcdefghijklmnopqrs-package.drv";
      const bool free = (i / 10) % 2 == 0;
      node.status = ekaci::scheduler::BuildStatus{i % 7 == 0 ? ekaci::scheduler::BuildState::Failure
                                                             : ekaci::scheduler::BuildState::Success};
      if (!free) node.jobsets.insert(1);
      const BuildNodeId id = graph.add(std::move(node));
      if (i % 10 != 0) graph.link(id, id - 1);
      graph[id].lastClaimed = i;
    }
    const std::vector<bool> held;
    state.ResumeTiming();
    const auto candidates = ekaci::scheduler::GraphEviction::candidates(graph, held);
    const auto census = ekaci::scheduler::GraphEviction::census(graph, candidates);
    const auto choice = ekaci::scheduler::GraphEviction::choose(graph, size - size / 10, candidates);
    graph.remove(choice.nodes);
    benchmark::DoNotOptimize(census);
    evicted = choice.nodes.size();
    state.PauseTiming();
    previous = std::move(owned);
    state.ResumeTiming();
  }
  state.counters["nodes"] = static_cast<double>(size);
  state.counters["evicted"] = static_cast<double>(evicted);
}
BENCHMARK(BM_EvictTenPercent)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
