#include "kernel/graph/DrvGraph.h"

#include <gtest/gtest.h>
#include <set>

#include "kernel/graph/ClosureWalker.h"
#include "kernel/services/PosixProcessRunner.h"
#include "tests/support/TempDir.h"

namespace ekaci::graph {

TEST(DrvGraphTest, InternsAndWalksDependents) {
  DrvGraph g;
  // libc <- lib <- app1, app2 ; tool <- app2
  NodeId libc = g.intern("/nix/store/aaa-libc.drv"), lib = g.intern("/nix/store/bbb-lib.drv");
  NodeId app1 = g.intern("/nix/store/ccc-app1.drv"), app2 = g.intern("/nix/store/ddd-app2.drv");
  NodeId tool = g.intern("/nix/store/eee-tool.drv");
  EXPECT_EQ(g.intern("/nix/store/aaa-libc.drv"), libc);
  g.addEdge(lib, libc);
  g.addEdge(app1, lib);
  g.addEdge(app2, lib);
  g.addEdge(app2, tool);
  g.addEdge(app2, tool);  // duplicates are kept once
  g.setSystem(app1, "aarch64-linux");
  g.freeze();
  EXPECT_EQ(g.edgeCount(), 4u);
  EXPECT_EQ(g.dependentCount({libc}), 3u);
  EXPECT_EQ(g.dependentCount({tool}), 1u);
  EXPECT_EQ(g.dependentCount({app1}), 0u);
  EXPECT_EQ(g.dependentCount({libc, tool}), 3u);
  EXPECT_EQ(g.path(app2), "/nix/store/ddd-app2.drv");
  EXPECT_EQ(g.system(app1), "aarch64-linux");
  EXPECT_EQ(g.system(app2), "unknown");
  auto [b, e] = g.references(app2);
  EXPECT_EQ(e - b, 2);
  EXPECT_FALSE(g.find("/nix/store/zzz-none.drv").has_value());
  EXPECT_THROW(g.intern("/nix/store/new.drv"), std::logic_error);
}

TEST(DrvGraphTest, ManyShortAndLongNamesStayFindable) {
  DrvGraph g;
  for (int i = 0; i < 20000; ++i)
    g.intern(i % 2 ? "x" + std::to_string(i) : "/nix/store/" + std::string(32, 'h') + std::to_string(i));
  g.freeze();
  for (int i = 0; i < 20000; i += 997) {
    const std::string name = i % 2 ? "x" + std::to_string(i) : "/nix/store/" + std::string(32, 'h') + std::to_string(i);
    ASSERT_TRUE(g.find(name).has_value()) << name;
    EXPECT_EQ(*g.find(name), static_cast<NodeId>(i));
  }
}

TEST(ClosureWalkerTest, WalksRealDerivationsAndRecordsTheUnreadable) {
  testsupport::TempDir dir;
  dir.write("chain.nix", R"(
let mk = name: deps: derivation { inherit name deps; system = builtins.currentSystem; builder = "/bin/sh"; args = ["-c" "echo > $out"]; };
    a = mk "walk-a" []; b = mk "walk-b" [a]; c = mk "walk-c" [b a];
in c)");
  services::PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = {"nix-instantiate", (dir.path() / "chain.nix").string()};
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  ASSERT_TRUE(result && result->succeeded());
  std::string drv = result->stdoutText.substr(0, result->stdoutText.find('\n'));
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

}  // namespace ekaci::graph
