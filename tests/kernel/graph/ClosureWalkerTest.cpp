#include "kernel/graph/ClosureWalker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/NixInstantiate.h"
#include "tests/support/TempDir.h"

namespace ekaci::graph {
namespace {

// Every node's path with its references' paths and its facts, independent of ids.
std::map<std::string, std::pair<std::set<std::string>, std::string>> shape(const ClosureWalk& walk) {
  std::map<std::string, std::pair<std::set<std::string>, std::string>> out;
  for (NodeId v = 0; v < walk.graph.size(); ++v) {
    auto& entry = out[walk.graph.path(v)];
    auto [begin, end] = walk.graph.references(v);
    for (const NodeId* it = begin; it != end; ++it) entry.first.insert(walk.graph.path(*it));
    entry.second = walk.facts[v].system + "/" + std::to_string(walk.facts[v].outputs.size()) + "/" +
                   (walk.facts[v].fixedOutput ? "fixed" : "built");
  }
  return out;
}

}  // namespace

TEST(ClosureWalkerTest, WalksRealDerivationsAndRecordsTheUnreadable) {
  testsupport::TempDir dir;
  dir.write("chain.nix", R"(
let mk = name: deps: derivation { inherit name deps; system = builtins.currentSystem; builder = "/bin/sh"; args = ["-c" "echo > $out"]; };
    a = mk "walk-a" []; b = mk "walk-b" [a]; c = mk "walk-c" [b a];
in c)");
  const auto drvs = testsupport::instantiate(dir.path() / "chain.nix");
  ASSERT_EQ(drvs.size(), 1u);
  const std::string& drv = drvs.front();
  auto bogus = dir.write("bogus.drv", "Derive(nonsense", 0644);
  auto walk = ClosureWalker::walk({drv, bogus.string()}, {});
  EXPECT_EQ(walk.graph.size(), 4u);
  EXPECT_EQ(walk.graph.edgeCount(), 3u);
  ASSERT_EQ(walk.unreadable.size(), 1u);
  EXPECT_EQ(walk.unreadable[0].first, bogus.string());
  auto a = walk.graph.find(drv);
  ASSERT_TRUE(a);
  EXPECT_EQ(walk.facts[*a].outputs.size(), 1u);
  auto limited = ClosureWalker::walk({drv}, {2, 2, nullptr});
  EXPECT_EQ(limited.graph.size(), 2u);
  EXPECT_TRUE(limited.graph.truncated());

  // Only what has to be built (here: c's input b), as the scheduler walks: a is neither read
  // nor a node, and no edge leads to it.
  auto [refs, refsEnd] = walk.graph.references(*a);
  std::string b;
  for (auto it = refs; it != refsEnd; ++it) {
    if (walk.graph.path(*it).find("walk-b") != std::string::npos) b = walk.graph.path(*it);
  }
  ASSERT_FALSE(b.empty());
  const std::set<std::string> within = {b};
  ClosureWalker::Options only;
  only.within = &within;
  auto partial = ClosureWalker::walk({drv}, only);
  EXPECT_EQ(partial.graph.size(), 2u);
  EXPECT_EQ(partial.graph.edgeCount(), 1u);
  EXPECT_TRUE(partial.graph.find(b));
  EXPECT_FALSE(partial.graph.truncated());
}

TEST(ClosureWalkerTest, OneOrTwoWorkersTakingSharesOfTheQueueFindTheSameGraph) {
  // 400 derivations, each depending on two earlier ones, and a root needing the last 20:
  // workers take up to 32 queued derivations at a time, so the walk crosses many takes.
  testsupport::TempDir dir;
  dir.write("set.nix", R"(
let
  mk = i: deps: derivation { name = "share-${toString i}"; system = builtins.currentSystem; builder = "/bin/sh";
    args = [ "-c" "echo ${toString i} > $out" ]; inherit deps; };
  pkgs = builtins.genList (i: mk i (if i < 2 then [ ] else [ (builtins.elemAt pkgs (i / 2)) (builtins.elemAt pkgs (i - 1)) ])) 400;
in mk 1000 (builtins.genList (i: builtins.elemAt pkgs (380 + i)) 20))");
  const auto roots = testsupport::instantiate(dir.path() / "set.nix");
  ASSERT_EQ(roots.size(), 1u);
  ClosureWalker::Options one;
  one.threads = 1;
  ClosureWalker::Options two;
  two.threads = 2;
  std::size_t lastProgress = 0;
  const auto a = ClosureWalker::walk(roots, one);
  const auto b = ClosureWalker::walk(roots, two, [&](std::size_t parsed) { lastProgress = parsed; });
  // share-0 is no one's input; share-2's two inputs are both share-1.
  EXPECT_EQ(a.graph.size(), 400u);
  EXPECT_EQ(a.graph.edgeCount(), 2u * 397 + 1 + 20);
  EXPECT_TRUE(a.unreadable.empty());
  EXPECT_EQ(shape(a), shape(b));
  EXPECT_EQ(lastProgress, 400u);

  // Cancelled before it starts: nothing is read past the roots' queue.
  std::atomic<bool> cancel{true};
  ClosureWalker::Options cancelled;
  cancelled.cancel = &cancel;
  const auto c = ClosureWalker::walk(roots, cancelled);
  EXPECT_EQ(c.graph.size(), 1u);
  EXPECT_EQ(c.graph.edgeCount(), 0u);
}

}  // namespace ekaci::graph
