#include "kernel/graph/DependentCounts.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace ekaci::graph {
namespace {

// What one walk over the referrers finds for `seed`: its dependents, and those marked.
std::pair<std::size_t, std::size_t> walk(const DrvGraph& g, NodeId seed, const std::vector<char>& marked) {
  std::vector<char> seen(g.size(), 0);
  std::vector<NodeId> stack = {seed};
  seen[seed] = 1;
  std::size_t all = 0, hits = 0;
  while (!stack.empty()) {
    const NodeId n = stack.back();
    stack.pop_back();
    auto [begin, end] = g.referrers(n);
    for (const NodeId* it = begin; it != end; ++it) {
      if (seen[*it] != 0) continue;
      seen[*it] = 1;
      ++all;
      if (marked[*it] != 0) ++hits;
      stack.push_back(*it);
    }
  }
  return {all, hits};
}

TEST(DependentCountsTest, EverySeedsCountsAreWhatAWalkFindsAcrossPassBoundaries) {
  // 3,000 nodes, each depending on up to four earlier ones; 150 seeds (three passes of 64),
  // some of them dependents of others; every third node marked.
  DrvGraph g;
  for (int i = 0; i < 3000; ++i)
    g.intern("/nix/store/" + std::to_string(100000 + i) + "-n" + std::to_string(i) + ".drv");
  std::mt19937 random(7);
  for (NodeId i = 1; i < 3000; ++i) {
    const int inputs = static_cast<int>(random() % 5);
    for (int k = 0; k < inputs; ++k) g.addEdge(i, static_cast<NodeId>(random() % i));
  }
  g.freeze();
  std::vector<char> marked(g.size(), 0);
  for (NodeId i = 0; i < g.size(); i += 3) marked[i] = 1;
  std::vector<NodeId> seeds;
  for (NodeId i = 0; i < 150; ++i) seeds.push_back(static_cast<NodeId>((i * 17) % 2500));

  const auto counts = DependentCounts::compute(g, seeds, marked);
  ASSERT_EQ(counts.dependents.size(), seeds.size());
  std::size_t nonZero = 0;
  for (std::size_t r = 0; r < seeds.size(); ++r) {
    const auto [all, hits] = walk(g, seeds[r], marked);
    EXPECT_EQ(counts.dependents[r], all) << "seed " << r;
    EXPECT_EQ(counts.marked[r], hits) << "seed " << r;
    if (all > 0) ++nonZero;
  }
  EXPECT_GT(nonZero, 100u);
  // A node depends on a seed exactly when some seed's walk reaches it.
  std::vector<char> reached(g.size(), 0);
  for (NodeId seed : seeds) {
    std::vector<NodeId> stack = {seed};
    while (!stack.empty()) {
      const NodeId n = stack.back();
      stack.pop_back();
      auto [begin, end] = g.referrers(n);
      for (const NodeId* it = begin; it != end; ++it) {
        if (reached[*it] == 0) {
          reached[*it] = 1;
          stack.push_back(*it);
        }
      }
    }
  }
  EXPECT_EQ(counts.dependsOnASeed, reached);
}

TEST(DependentCountsTest, NoSeedsCountNothing) {
  DrvGraph g;
  const NodeId a = g.intern("/nix/store/1-a.drv"), b = g.intern("/nix/store/2-b.drv");
  g.addEdge(b, a);
  g.freeze();
  const auto counts = DependentCounts::compute(g, {}, {});
  EXPECT_TRUE(counts.dependents.empty());
  EXPECT_EQ(counts.dependsOnASeed, (std::vector<char>{0, 0}));
  const auto one = DependentCounts::compute(g, {a}, {});
  EXPECT_EQ(one.dependents, (std::vector<std::size_t>{1}));
  EXPECT_EQ(one.marked, (std::vector<std::size_t>{0}));
  EXPECT_EQ(DependentCounts::dependencyOrder(g), (std::vector<NodeId>{a, b}));
}

}  // namespace
}  // namespace ekaci::graph
