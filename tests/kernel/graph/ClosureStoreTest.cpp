#include "kernel/graph/ClosureStore.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "kernel/storage/SqliteStorage.h"
#include "tests/support/TempDir.h"

namespace ekaci::graph {
namespace {

// What a walk of app -> lib -> libc would have read.
ClosureWalk threeNodes() {
  ClosureWalk walk;
  const NodeId app = walk.graph.intern("/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-app.drv");
  const NodeId lib = walk.graph.intern("/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-lib.drv");
  const NodeId libc = walk.graph.intern("/nix/store/cccccccccccccccccccccccccccccccc-libc.drv");
  walk.graph.addEdge(app, lib);
  walk.graph.addEdge(lib, libc);
  walk.graph.freeze();
  walk.facts.resize(3);
  walk.facts[app] = {
      "x86_64-linux", false, true, {"kvm"}, {{"out", "/nix/store/dddddddddddddddddddddddddddddddd-app"}}};
  walk.facts[lib] = {"x86_64-linux", false, false, {}, {{"out", "/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-lib"}}};
  walk.facts[libc].fixedOutput = true;  // unread system: stored as "unknown"
  return walk;
}

TEST(ClosureStoreTest, StoresEveryDerivationWithItsFactsAndEveryReference) {
  testsupport::TempDir dir;
  auto storage = storage::SqliteStorage::open(dir.path() / "db.sqlite").value();
  const ClosureWalk walk = threeNodes();
  auto ids = ClosureStore::save(walk, *storage);
  ASSERT_TRUE(ids) << ids.error().describe();
  ASSERT_EQ(ids->size(), 3u);

  auto app = storage->findDrv(walk.graph.path(0)).value();
  ASSERT_TRUE(app);
  EXPECT_EQ(app->id, (*ids)[0]);
  EXPECT_EQ(app->system, "x86_64-linux");
  EXPECT_TRUE(app->preferLocalBuild);
  EXPECT_EQ(app->requiredFeatures, (std::vector<std::string>{"kvm"}));
  EXPECT_EQ(
      app->outputs,
      (std::vector<std::pair<std::string, std::string>>{{"out", "/nix/store/dddddddddddddddddddddddddddddddd-app"}}));
  auto libc = storage->findDrv(walk.graph.path(2)).value();
  ASSERT_TRUE(libc);
  EXPECT_EQ(libc->system, "unknown");
  EXPECT_TRUE(libc->isFixedOutput);

  EXPECT_EQ(storage->referencesOf((*ids)[0]).value(), (std::vector<std::int64_t>{(*ids)[1]}));
  EXPECT_EQ(storage->referencesOf((*ids)[1]).value(), (std::vector<std::int64_t>{(*ids)[2]}));
  EXPECT_TRUE(storage->referencesOf((*ids)[2]).value().empty());

  // Stored again (the scheduler after the review): the same ids, no duplicate references.
  auto again = ClosureStore::save(walk, *storage);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *ids);
  EXPECT_EQ(storage->referencesOf((*ids)[0]).value().size(), 1u);
}

}  // namespace
}  // namespace ekaci::graph
