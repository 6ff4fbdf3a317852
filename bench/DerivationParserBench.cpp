// Reading derivations: eka-ci's ATerm parser against `nix show-derivation` on the same
// .drv files, in one run. The drvs are a generated package set instantiated at start-up.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kernel/graph/ClosureWalker.h"
#include "kernel/nix/DerivationParser.h"
#include "kernel/services/PosixProcessRunner.h"

namespace {

const std::vector<std::string>& drvs() {
  static const std::vector<std::string> paths = [] {
    std::string dir = (std::filesystem::temp_directory_path() / "ekaci-bench-drvs-XXXXXX").string();
    if (::mkdtemp(dir.data()) == nullptr) std::abort();
    std::ofstream(std::filesystem::path(dir) / "set.nix") << R"(
let
  mk = i: deps: derivation {
    name = "bench-${toString i}"; system = builtins.currentSystem; builder = "/bin/sh";
    args = [ "-c" "echo ${toString i} > $out" ]; inherit deps;
    description = "a package with a description of ordinary length, number ${toString i}";
  };
  pkgs = builtins.genList (i: mk i (if i < 3 then [ ] else [ (builtins.elemAt pkgs (i / 2)) (builtins.elemAt pkgs (i / 3)) ])) 500;
in pkgs)";
    ekaci::services::PosixProcessRunner runner;
    ekaci::sdk::ProcessSpec spec;
    spec.argv = {"nix-instantiate", (std::filesystem::path(dir) / "set.nix").string()};
    spec.inheritEnvironment = true;
    auto result = runner.run(spec);
    std::vector<std::string> out;
    std::istringstream lines(result ? result->stdoutText : "");
    for (std::string line; std::getline(lines, line);) {
      if (line.ends_with(".drv")) out.push_back(line);
    }
    std::filesystem::remove_all(dir);
    return out;
  }();
  return paths;
}

void BM_ParseWithEkaCi(benchmark::State& state) {
  const auto& paths = drvs();
  for (auto _ : state) {
    for (const auto& path : paths) {
      auto drv = ekaci::nix::DerivationParser::parseFile(path);
      if (!drv) state.SkipWithError(drv.error().message().c_str());
      benchmark::DoNotOptimize(drv);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}

// What a review and a jobset ingest run: the closure walker, parsing on two threads and
// building the graph (every path a root, so it reads the same 500 files).
void BM_WalkClosureWithEkaCi(benchmark::State& state) {
  const auto& paths = drvs();
  ekaci::graph::ClosureWalker::Options options;
  options.threads = static_cast<std::size_t>(state.range(0));
  options.capacity = 1000000;
  std::size_t nodes = 0;
  for (auto _ : state) {
    auto walk = ekaci::graph::ClosureWalker::walk(paths, options);
    if (!walk.unreadable.empty()) state.SkipWithError(walk.unreadable.front().second.c_str());
    nodes = walk.graph.size();
  }
  state.counters["nodes"] = static_cast<double>(nodes);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}

// The floor under any reader of these files: open, read and close each, nothing parsed.
void BM_ReadFilesOnly(benchmark::State& state) {
  const auto& paths = drvs();
  std::vector<char> buffer(1 << 16);
  for (auto _ : state) {
    for (const auto& path : paths) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      const ssize_t got = ::read(fd, buffer.data(), buffer.size());
      ::close(fd);
      benchmark::DoNotOptimize(got);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}

// Parsing only, the files already in memory.
void BM_ParseInMemory(benchmark::State& state) {
  std::vector<std::string> texts;
  for (const auto& path : drvs()) {
    std::ifstream in(path);
    texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  for (auto _ : state) {
    for (const auto& text : texts) {
      auto drv = ekaci::nix::DerivationParser::parse(text);
      benchmark::DoNotOptimize(drv);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * texts.size()));
}

void BM_NixShowDerivationOneBatch(benchmark::State& state) {
  const auto& paths = drvs();
  ekaci::services::PosixProcessRunner runner;
  ekaci::sdk::ProcessSpec spec;
  spec.argv = {"nix", "--extra-experimental-features", "nix-command", "show-derivation"};
  spec.argv.insert(spec.argv.end(), paths.begin(), paths.end());
  spec.inheritEnvironment = true;
  for (auto _ : state) {
    auto result = runner.run(spec);
    if (!result || !result->succeeded()) state.SkipWithError("nix show-derivation failed");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
}

void BM_NixShowDerivationPerDrv(benchmark::State& state) {
  const auto& paths = drvs();
  ekaci::services::PosixProcessRunner runner;
  const std::size_t sample = 50;  // one process per derivation: sampled, it is slow
  for (auto _ : state) {
    for (std::size_t i = 0; i < sample; ++i) {
      ekaci::sdk::ProcessSpec spec;
      spec.argv = {"nix", "--extra-experimental-features", "nix-command", "show-derivation", paths[i]};
      spec.inheritEnvironment = true;
      auto result = runner.run(spec);
      if (!result || !result->succeeded()) state.SkipWithError("nix show-derivation failed");
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * sample));
}

}  // namespace

BENCHMARK(BM_ParseWithEkaCi)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WalkClosureWithEkaCi)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReadFilesOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseInMemory)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NixShowDerivationOneBatch)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NixShowDerivationPerDrv)->Unit(benchmark::kMillisecond)->Iterations(2);
BENCHMARK_MAIN();
