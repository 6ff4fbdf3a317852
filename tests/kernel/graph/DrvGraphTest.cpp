#include "kernel/graph/DrvGraph.h"

#include <gtest/gtest.h>
#include <set>
#include <vector>

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

// Store paths are kept decoded (hash bytes, name, no ".drv"); every form prints back exactly
// and is found again, and forms that only look alike stay apart.
TEST(DrvGraphTest, EveryFormOfPathRoundTripsExactly) {
  const std::vector<std::string> paths = {
      "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12.drv",  // every base-32 digit
      "/nix/store/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-hello-2.12.drv",
      "/nix/store/00000000000000000000000000000000-hello-2.12.drv",
      "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.12",  // an output, not a .drv
      "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-.drv",        // an empty name
      "/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-e.drv",       // 'e' is not a base-32 digit
      "/nix/store/aaa-libc.drv",                                 // short, as tests write them
      "/nix/store/nodash",
      "/tmp/bogus.drv",  // not in the store
      "relative.drv",
      "",
  };
  DrvGraph g;
  std::vector<NodeId> ids;
  for (const auto& path : paths) ids.push_back(g.intern(path));
  g.freeze();
  for (std::size_t i = 0; i < paths.size(); ++i) {
    EXPECT_EQ(ids[i], static_cast<NodeId>(i)) << paths[i] << " is a node of its own";
    EXPECT_EQ(g.path(ids[i]), paths[i]);
    EXPECT_EQ(g.find(paths[i]), ids[i]) << paths[i];
  }
  EXPECT_FALSE(g.find("/nix/store/0123456789abcdfghijklmnpqrsvwxyz-hello-2.13.drv"));
  EXPECT_FALSE(g.find("/nix/store/1123456789abcdfghijklmnpqrsvwxyz-hello-2.12.drv"));
  EXPECT_FALSE(g.find("/tmp/bogus"));
}

// What the graph holds per node is its fixed part (hash, offsets, flags, system, index,
// both CSR offsets, a visit mark: under 48 bytes) plus the name; 8 bytes per edge.
TEST(DrvGraphTest, MemoryIsTheFixedPartPerNodeTheNamesAndEightBytesPerEdge) {
  DrvGraph g;
  const std::string alphabet = "0123456789abcdfghijklmnpqrsvwxyz";
  std::size_t names = 0;
  for (std::uint32_t i = 0; i < 100000; ++i) {
    std::string hash;
    std::uint64_t x = i * 0x9e3779b97f4a7c15ULL;
    for (int c = 0; c < 32; ++c, x = x * 6364136223846793005ULL + 1442695040888963407ULL) hash += alphabet[x >> 59];
    const std::string name = "perl5.38.2-Package-" + std::to_string(i);
    names += name.size();
    const NodeId id = g.intern("/nix/store/" + hash + "-" + name + ".drv");
    if (id > 0) g.addEdge(id, id - 1);
    if (id > 1) g.addEdge(id, id / 2);
  }
  g.freeze();
  g.dependentCount({0});
  EXPECT_EQ(g.size(), 100000u);
  EXPECT_LE(g.memoryBytes(), g.size() * 48 + names + g.edgeCount() * 8 + 4096) << g.memoryBytes() / g.size();
}

}  // namespace ekaci::graph
