// Reading and validating ekaci.toml: the manual's full example, and a configuration with
// many cache blocks.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "kernel/config/ConfigLoader.h"

namespace {

void BM_LoadManualFullExample(benchmark::State& state) {
  std::ifstream in(EKACI_SOURCE_DIR "/tests/data/config/manual-2321.toml");
  std::ostringstream text;
  text << in.rdbuf();
  ekaci::config::ConfigLoader loader(ekaci::config::Environment({{"HOME", "/h"}}));
  for (auto _ : state) {
    auto config = loader.loadText(text.str(), "ekaci.toml");
    benchmark::DoNotOptimize(config);
  }
}

void BM_LoadManyCaches(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < state.range(0); ++i) {
    text += "[[caches]]\nid = \"c" + std::to_string(i) +
            "\"\ncache_type = \"nix-copy\"\ndestination = \"s3://b\"\n"
            "credentials = { env = { vars = [\"A\", \"B\"] } }\n[caches.permissions]\nallow_all = false\n";
  }
  ekaci::config::ConfigLoader loader(ekaci::config::Environment({{"HOME", "/h"}}));
  for (auto _ : state) {
    auto config = loader.loadText(text, "ekaci.toml");
    benchmark::DoNotOptimize(config);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

}  // namespace

BENCHMARK(BM_LoadManualFullExample)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_LoadManyCaches)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
