// Derivation ingest into SQLite: the batched path (one transaction, one prepared statement
// executed per row) against the obvious alternative (one transaction per derivation). And the
// scheduler's status read: one statement per 500 ids against one statement per id.
#include <benchmark/benchmark.h>

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
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

// Ingests fresh derivations each iteration with `insert`, which receives the batch.
template <typename Insert>
void ingest(benchmark::State& state, Insert insert) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto path = freshDatabase();
  auto storage = std::move(ekaci::storage::SqliteStorage::open(path)).value();
  std::size_t round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto drvs = makeDrvs(n, round++);
    state.ResumeTiming();
    if (auto error = insert(*storage, drvs)) state.SkipWithError(error->c_str());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  storage.reset();
  std::filesystem::remove_all(path.parent_path());
}

std::optional<std::string> failure(const ekaci::sdk::Result<std::vector<std::int64_t>>& ids) {
  return ids ? std::nullopt : std::optional<std::string>(ids.error().message());
}

void BM_IngestBatched(benchmark::State& state) {
  ingest(state, [](ekaci::storage::Storage& storage, const std::vector<ekaci::storage::DrvRecord>& drvs) {
    return failure(storage.upsertDrvs(drvs));
  });
}

// A closure as the review and the scheduler store it (ClosureStore): every derivation with
// its output, then three references each. Rows counted: derivations, outputs, references.
void BM_IngestClosure(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto path = freshDatabase();
  auto storage = std::move(ekaci::storage::SqliteStorage::open(path)).value();
  std::size_t round = 0, rows = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto drvs = makeDrvs(n, round++);
    state.ResumeTiming();
    auto ids = storage->upsertDrvs(drvs);
    if (!ids) {
      state.SkipWithError(ids.error().message().c_str());
      break;
    }
    std::vector<std::pair<std::int64_t, std::int64_t>> edges;
    edges.reserve(n * 3);
    for (std::size_t i = 1; i < n; ++i) {
      for (std::size_t e : {i - 1, i / 2, i / 3}) edges.emplace_back((*ids)[i], (*ids)[e]);
    }
    if (auto stored = storage->insertDrvReferences(edges); !stored) {
      state.SkipWithError(stored.error().message().c_str());
      break;
    }
    rows += 2 * n + edges.size();
  }
  state.counters["rows_per_second"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  storage.reset();
  std::filesystem::remove_all(path.parent_path());
}

void BM_IngestOneTransactionPerRow(benchmark::State& state) {
  ingest(state, [](ekaci::storage::Storage& storage, const std::vector<ekaci::storage::DrvRecord>& drvs) {
    for (const auto& d : drvs) {
      if (auto error = failure(storage.upsertDrvs({d}))) return error;
    }
    return std::optional<std::string>();
  });
}

// Reads the state of `n` derivations (each with one build event) each iteration with `read`.
template <typename Read>
void readStatuses(benchmark::State& state, Read read) {
  const auto n = static_cast<std::size_t>(state.range(0));
  auto path = freshDatabase();
  auto storage = std::move(ekaci::storage::SqliteStorage::open(path)).value();
  auto ids = std::move(storage->upsertDrvs(makeDrvs(n, 0))).value();
  for (auto id : ids) {
    if (!storage->recordBuildEvent(ekaci::storage::BuildEventRecord{0, id, 0, "queued", "", 1})) std::abort();
  }
  for (auto _ : state) {
    std::size_t answered = read(*storage, ids);
    if (answered != n) state.SkipWithError("not every derivation was answered");
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * n));
  storage.reset();
  std::filesystem::remove_all(path.parent_path());
}

void BM_StatusesBatched(benchmark::State& state) {
  readStatuses(state, [](ekaci::storage::Storage& storage, const std::vector<std::int64_t>& ids) {
    auto rows = storage.drvStatuses(ids);
    return rows ? rows->size() : 0;
  });
}

void BM_StatusesOneQueryPerId(benchmark::State& state) {
  readStatuses(state, [](ekaci::storage::Storage& storage, const std::vector<std::int64_t>& ids) {
    std::size_t answered = 0;
    for (auto id : ids) {
      auto rows = storage.drvStatuses({id});
      answered += rows ? rows->size() : 0;
    }
    return answered;
  });
}

}  // namespace

BENCHMARK(BM_StatusesBatched)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StatusesOneQueryPerId)->Arg(20000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestBatched)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestOneTransactionPerRow)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_IngestClosure)->Arg(10000)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
