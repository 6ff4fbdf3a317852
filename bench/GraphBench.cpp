// The derivation graph at Nixpkgs scale and beyond: 500,000 nodes and 3,000,000 edges,
// generated as a layered DAG (each node depends on six nodes created before it, biased
// towards a small core, like stdenv and its bootstrap). Reports memory per node and the
// time of blast-radius walks.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "kernel/graph/DrvGraph.h"
#include "kernel/review/RebuildImpact.h"

namespace {

constexpr std::size_t kNodes = 500000;
constexpr std::size_t kEdgesPerNode = 6;

// A store path as Nix writes them: 32 base-32 characters and a name of nixpkgs' average
// length (22.5 characters measured on a store holding nixpkgs' Perl, TeX and Python sets).
std::string storePath(std::mt19937_64& random, std::size_t i) {
  static const std::string kAlphabet = "0123456789abcdfghijklmnpqrsvwxyz";
  static const std::vector<std::string> kPrefixes = {"perl5.38.2-", "python3.11-", "texlive-", "", "lib", "haskell-"};
  std::string path = "/nix/store/";
  for (int c = 0; c < 32; ++c) path += kAlphabet[random() % 32];
  path += "-" + kPrefixes[i % kPrefixes.size()] + "package-" + std::to_string(i) + "-1.drv";
  return path;
}

// `nodes` nodes, six edges each: half to the oldest 1% (the "core"), half anywhere before.
ekaci::graph::DrvGraph* generate(std::size_t nodes) {
  auto* g = new ekaci::graph::DrvGraph;
  std::mt19937_64 random(42);
  for (std::size_t i = 0; i < nodes; ++i) g->intern(storePath(random, i));
  for (std::size_t i = 1; i < nodes; ++i) {
    for (std::size_t e = 0; e < kEdgesPerNode; ++e) {
      const std::size_t bound = e % 2 == 0 ? std::max<std::size_t>(1, std::min(i, nodes / 100)) : i;
      g->addEdge(static_cast<ekaci::graph::NodeId>(i), static_cast<ekaci::graph::NodeId>(random() % bound));
    }
  }
  g->freeze();
  return g;
}

const ekaci::graph::DrvGraph& bigGraph() {
  static ekaci::graph::DrvGraph* graph = generate(kNodes);
  return *graph;
}

const ekaci::graph::DrvGraph& millionGraph() {
  static ekaci::graph::DrvGraph* graph = generate(1000000);
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
  const std::string path = g.path(123456);
  for (auto _ : state) benchmark::DoNotOptimize(g.find(path));
}

// A mass rebuild in a 1M-node graph: the changed packages are core nodes, each reaching
// nearly everything. The review walks every changed package (at most 5,000: RebuildImpact's
// maxSeeds); this measures the walk per changed package, for 20 of them.
void BM_MassRebuildBlastRadiusPerChangedPackage1M(benchmark::State& state) {
  const auto& g = millionGraph();
  std::size_t reached = 0;
  for (auto _ : state) {
    for (ekaci::graph::NodeId seed = 0; seed < 20; ++seed) reached += g.dependentCount({seed});
  }
  state.counters["nodes"] = static_cast<double>(g.size());
  state.counters["edges"] = static_cast<double>(g.edgeCount());
  state.counters["bytes_per_node"] = static_cast<double>(g.memoryBytes()) / static_cast<double>(g.size());
  state.counters["ms_per_changed_package"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * 20 / 1000.0, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

}  // namespace

BENCHMARK(BM_BuildGraph500k)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_BlastRadiusOfACoreNode)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BlastRadiusOfAnOrdinaryNode)->Unit(benchmark::kMillisecond);
// The review's blast radius of every changed package of a mass rebuild in the 1M-node
// graph: 5,000 rebuilt packages (RebuildImpact's limit; the core and what follows it), the
// jobs being every tenth node.
void BM_MassRebuildRebuildImpact1M(benchmark::State& state) {
  const auto& g = millionGraph();
  std::vector<ekaci::sdk::EvalItem> head;
  for (ekaci::graph::NodeId i = 0; i < g.size(); i += 10) {
    ekaci::sdk::EvalItem item;
    item.drvPath = g.path(i);
    head.push_back(std::move(item));
  }
  ekaci::review::JobReview review;
  for (ekaci::graph::NodeId i = 0; i < 5000; ++i) {
    ekaci::review::PackageChange change;
    change.attr = "p" + std::to_string(i);
    change.change = ekaci::review::ChangeClass::RebuildOnly;
    change.rebuild = true;
    change.drvPath = g.path(i);
    review.changes.push_back(change);
  }
  ekaci::review::RebuildImpact::Options options;
  options.full = true;
  for (auto _ : state) ekaci::review::RebuildImpact::compute(g, head, review, options);
  state.counters["changed_packages"] = static_cast<double>(review.changes.size());
  state.counters["radius_of_the_first"] = static_cast<double>(review.changes.front().dependentDerivations);
}

BENCHMARK(BM_LookupByPath);
BENCHMARK(BM_MassRebuildRebuildImpact1M)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();
BENCHMARK(BM_MassRebuildBlastRadiusPerChangedPackage1M)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
