#include "kernel/scheduler/BuildGraph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

namespace ekaci::scheduler {
namespace {

BuildNodeId add(BuildGraph& graph, const std::string& name) {
  BuildGraph::Node node;
  node.path = "/nix/store/" + name + ".drv";
  return graph.add(std::move(node));
}

// app -> lib -> libc ; tool -> libc
struct FourNodes {
  FourNodes() {
    graph.link(lib, libc);
    graph.link(app, lib);
    graph.link(tool, libc);
  }
  BuildGraph graph;
  BuildNodeId libc = add(graph, "libc"), lib = add(graph, "lib"), app = add(graph, "app"), tool = add(graph, "tool");
};

TEST(BuildGraphTest, AJobsetClaimsTheClosureOfItsRootsOnly) {
  FourNodes four;
  auto& graph = four.graph;
  const auto [libc, lib, app, tool] = std::tuple(four.libc, four.lib, four.app, four.tool);
  EXPECT_EQ(graph.find("/nix/store/lib.drv"), lib);
  EXPECT_FALSE(graph.find("/nix/store/none.drv"));
  EXPECT_EQ(graph[libc].dependents, (std::vector<BuildNodeId>{lib, tool}));

  auto closure = graph.claim({app}, 7);
  std::sort(closure.begin(), closure.end());
  EXPECT_EQ(closure, (std::vector<BuildNodeId>{libc, lib, app}));
  EXPECT_TRUE(graph[libc].jobsets.count(7));
  EXPECT_FALSE(graph[tool].jobsets.count(7));
  // Claimed again by the same jobset: the same closure.
  auto again = graph.claim({app}, 7);
  EXPECT_EQ(again.size(), 3u);

  graph.clear();
  EXPECT_TRUE(graph.empty());
  EXPECT_FALSE(graph.find("/nix/store/lib.drv"));
}

TEST(BuildGraphTest, RemovedNodesFreeTheirSlotsAndLeaveNoReferenceBehind) {
  FourNodes four;
  auto& graph = four.graph;
  const auto [libc, lib, app, tool] = std::tuple(four.libc, four.lib, four.app, four.tool);
  const std::size_t before = graph.memoryBytes();
  graph.remove({app, lib, app});  // listed twice: removed once
  EXPECT_EQ(graph.size(), 2u);
  EXPECT_FALSE(graph.live(app));
  EXPECT_FALSE(graph.live(lib));
  EXPECT_TRUE(graph.live(libc));
  EXPECT_FALSE(graph.find("/nix/store/lib.drv"));
  EXPECT_EQ(graph[libc].dependents, (std::vector<BuildNodeId>{tool}));
  EXPECT_LT(graph.memoryBytes(), before);
  // Freed slots are reused; the graph does not grow while it churns.
  const auto again = add(graph, "lib-2");
  const auto more = add(graph, "app-2");
  EXPECT_TRUE(again == lib || again == app);
  EXPECT_TRUE(more == lib || more == app);
  EXPECT_EQ(graph.nodes().size(), 4u);
  EXPECT_EQ(graph.find("/nix/store/lib-2.drv"), again);
  EXPECT_TRUE(graph[again].deps.empty());
  EXPECT_TRUE(graph[again].jobsets.empty());
  // A claim stamps its closure with a later time than the one before.
  graph.claim({tool}, 1);
  const auto first = graph[tool].lastClaimed;
  graph.claim({more}, 2);
  EXPECT_GT(graph[more].lastClaimed, first);
  EXPECT_EQ(graph[libc].lastClaimed, first);
}

}  // namespace
}  // namespace ekaci::scheduler
