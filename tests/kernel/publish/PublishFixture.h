#pragma once

#include <memory>
#include <string>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "kernel/services/PosixProcessRunner.h"
#include "kernel/services/SystemClock.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::publish {

// Real processes, a real SQLite database and a derivation row to hang hook runs and pushes on.
struct PublishFixture {
  PublishFixture() {
    auto opened = storage::SqliteStorage::open(dir.path() / "db.sqlite");
    if (!opened) throw std::runtime_error(opened.error().describe());
    storage = std::move(opened).value();
    storage::DrvRecord drv;
    drv.drvPath = drvPath;
    drv.system = "x86_64-linux";
    auto ids = storage->upsertDrvs({drv});
    if (!ids) throw std::runtime_error(ids.error().describe());
    drvId = ids->front();
  }

  testsupport::TempDir dir;
  std::unique_ptr<storage::SqliteStorage> storage;
  services::PosixProcessRunner processes;
  services::SystemClock clock;
  sdk::testing::CapturingLogger logger;
  sdk::testing::InMemoryMetrics metrics;
  std::string drvPath = "/nix/store/0c9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-hello-2.12.1.drv";
  std::int64_t drvId = 0;
};

}  // namespace ekaci::publish
