#include "kernel/scheduler/BuildGraph.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ekaci::scheduler {
namespace {

BuildNodeId add(BuildGraph& graph, const std::string& name) {
  BuildGraph::Node node;
  node.path = "/nix/store/" + name + ".drv";
  return graph.add(std::move(node));
}

TEST(BuildGraphTest, AJobsetClaimsTheClosureOfItsRootsOnly) {
  BuildGraph graph;
  // app -> lib -> libc ; tool -> libc
  const auto libc = add(graph, "libc"), lib = add(graph, "lib"), app = add(graph, "app"), tool = add(graph, "tool");
  graph.link(lib, libc);
  graph.link(app, lib);
  graph.link(tool, libc);
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

}  // namespace
}  // namespace ekaci::scheduler
