// Derivation ingest into SQLite: the batched path (one transaction, one prepared statement
// executed per row) against the obvious alternative (one transaction per derivation).
#include <benchmark/benchmark.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "kernel/storage/SqliteStorage.h"

namespace {

std::filesystem::path freshDatabase() {
  std::string pattern = (std::filesystem::temp_directory_path() / "ekaci-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return std::filesystem::path(pattern) / "sqlite.db";
}

std::vector<ekaci::storage::DrvRecord> makeDrvs(std::size_t n, std::size_t round) {
  std::vector<ekaci::storage::DrvRecord> drvs(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = "pkg-" + std::to_string(round) + "-" + std::to_string(i);
    drvs[i].drvPath = "/nix/store/" + std::string(32, 'a') + "-" + name + ".drv";
    drvs[i].system = "x86_64-linux";
    drvs[i].pname = name;
    drvs[i].version = "1.0";
    drvs[i].outputs = {{"out", "/nix/store/" + std::string(32, 'b') + "-" + name}};
  }
  return drvs;
}

void BM_IngestBatched(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto path = freshDatabase();
  auto storage = std::move(ekaci::storage::SqliteStorage::open(path)).value();
  std::size_t round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto drvs = makeDrvs(n, round++);
    state.ResumeTiming();
    auto ids = storage->upsertDrvs(drvs);
    if (!ids) state.SkipWithError(ids.error().message().c_str());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  storage.reset();
  std::filesystem::remove_all(path.parent_path());
}

void BM_IngestOneTransactionPerRow(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto path = freshDatabase();
  auto storage = std::move(ekaci::storage::SqliteStorage::open(path)).value();
  std::size_t round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto drvs = makeDrvs(n, round++);
    state.ResumeTiming();
    for (const auto& d : drvs) {
      auto ids = storage->upsertDrvs({d});
      if (!ids) state.SkipWithError(ids.error().message().c_str());
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  storage.reset();
  std::filesystem::remove_all(path.parent_path());
}

}  // namespace

BENCHMARK(BM_IngestBatched)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestOneTransactionPerRow)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
