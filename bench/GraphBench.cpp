// The derivation graph at Nixpkgs scale and beyond: 500,000 nodes and 3,000,000 edges,
// generated as a layered DAG (each node depends on six nodes created before it, biased
// towards a small core, like stdenv and its bootstrap). Reports memory per node and the
// time of blast-radius walks.
#include <benchmark/benchmark.h>

#include <random>

#include "kernel/graph/DrvGraph.h"

namespace {

constexpr std::size_t kNodes = 500000;
constexpr std::size_t kEdgesPerNode = 6;

const ekaci::graph::DrvGraph& bigGraph() {
  static ekaci::graph::DrvGraph* graph = [] {
    auto* g = new ekaci::graph::DrvGraph;
    std::mt19937_64 random(42);
    for (std::size_t i = 0; i < kNodes; ++i) {
      g->intern("/nix/store/" + std::to_string(1000000000000ull + i) + "abcdefghijklmnopqrs-package-" +
                std::to_string(i) + ".drv");
    }
    for (std::size_t i = 1; i < kNodes; ++i) {
      for (std::size_t e = 0; e < kEdgesPerNode; ++e) {
        // Half the edges go to the oldest 1% (the "core"), half anywhere before i.
        const std::size_t bound = e % 2 == 0 ? std::max<std::size_t>(1, std::min(i, kNodes / 100)) : i;
        g->addEdge(static_cast<ekaci::graph::NodeId>(i), static_cast<ekaci::graph::NodeId>(random() % bound));
      }
    }
    g->freeze();
    return g;
  }();
  return *graph;
}

void BM_BuildGraph500k(benchmark::State& state) {
  for (auto _ : state) {
    ekaci::graph::DrvGraph g;
    std::mt19937_64 random(7);
    for (std::size_t i = 0; i < kNodes; ++i) g.intern("/nix/store/" + std::to_string(2000000000000ull + i) + "-p.drv");
    for (std::size_t i = 1; i < kNodes; ++i) {
      for (std::size_t e = 0; e < kEdgesPerNode; ++e) {
        g.addEdge(static_cast<ekaci::graph::NodeId>(i), static_cast<ekaci::graph::NodeId>(random() % i));
      }
    }
    g.freeze();
    benchmark::DoNotOptimize(g.edgeCount());
  }
}

void BM_BlastRadiusOfACoreNode(benchmark::State& state) {
  const auto& g = bigGraph();
  std::size_t reached = 0;
  for (auto _ : state) reached = g.dependentCount({0});
  state.counters["dependents"] = static_cast<double>(reached);
  state.counters["nodes"] = static_cast<double>(g.size());
  state.counters["edges"] = static_cast<double>(g.edgeCount());
  state.counters["bytes_per_node"] = static_cast<double>(g.memoryBytes()) / static_cast<double>(g.size());
}

void BM_BlastRadiusOfAnOrdinaryNode(benchmark::State& state) {
  const auto& g = bigGraph();
  std::size_t reached = 0;
  for (auto _ : state) reached = g.dependentCount({static_cast<ekaci::graph::NodeId>(10000)});
  state.counters["dependents"] = static_cast<double>(reached);
}

void BM_LookupByPath(benchmark::State& state) {
  const auto& g = bigGraph();
  const std::string path = "/nix/store/" + std::to_string(1000000000000ull + 123456) + "abcdefghijklmnopqrs-package-123456.drv";
  for (auto _ : state) benchmark::DoNotOptimize(g.find(path));
}

}  // namespace

BENCHMARK(BM_BuildGraph500k)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BlastRadiusOfACoreNode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlastRadiusOfAnOrdinaryNode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LookupByPath);
BENCHMARK_MAIN();
