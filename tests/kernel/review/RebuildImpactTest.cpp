// The blast radius of rebuilt packages, and which of them rebuild because of another.
#include "kernel/review/RebuildImpact.h"

#include <gtest/gtest.h>

#include <random>

namespace ekaci::review {
namespace {

TEST(RebuildImpactTest, ARebuiltPackageDependingOnAnotherRebuildsBecauseOfIt) {
  graph::DrvGraph graph;
  const auto core = graph.intern("/nix/store/aaa-libcore.drv");
  const auto app = graph.intern("/nix/store/bbb-app.drv");
  const auto tool = graph.intern("/nix/store/ccc-tool.drv");
  graph.addEdge(app, core);
  graph.freeze();
  std::vector<sdk::EvalItem> head(3);
  head[0].attrPath = "libcore";
  head[0].drvPath = graph.path(core);
  head[1].attrPath = "app";
  head[1].drvPath = graph.path(app);
  head[2].attrPath = "tool";
  head[2].drvPath = graph.path(tool);
  JobReview review;
  for (const auto& item : head) {
    PackageChange change;
    change.attr = item.attrPath;
    change.change = ChangeClass::RebuildOnly;
    change.rebuild = true;
    change.drvPath = item.drvPath;
    review.changes.push_back(change);
  }
  RebuildImpact::compute(graph, head, review, RebuildImpact::Options{});
  EXPECT_FALSE(review.changes[0].dependencyRebuilt) << "libcore changed itself";
  EXPECT_TRUE(review.changes[1].dependencyRebuilt) << "app rebuilds because libcore does";
  EXPECT_FALSE(review.changes[2].dependencyRebuilt);
  EXPECT_EQ(review.changes[0].dependentJobs, 1u);
  EXPECT_EQ(review.topBlastRadius.front(), "libcore");
}

// A mass rebuild of a random DAG: 300 rebuilt packages (five passes of 64) among 3,000
// derivations, every other one a job. Each count and each "rebuilds because of another"
// is what a walk of that package's dependents says.
TEST(RebuildImpactTest, EveryRadiusOfAMassRebuildIsWhatAWalkFindsForIt) {
  graph::DrvGraph graph;
  std::mt19937 random(11);
  constexpr int kNodes = 3000;
  for (int i = 0; i < kNodes; ++i) graph.intern("/nix/store/x" + std::to_string(i) + ".drv");
  for (int i = 1; i < kNodes; ++i) {
    for (int e = 0; e < 3; ++e) {
      const int bound = e == 0 ? std::min(i, 30) : i;  // a core, and anything older
      graph.addEdge(static_cast<graph::NodeId>(i), static_cast<graph::NodeId>(random() % bound));
    }
  }
  graph.freeze();
  std::vector<sdk::EvalItem> head;
  for (int i = 0; i < kNodes; i += 2) {
    sdk::EvalItem item;
    item.attrPath = "job" + std::to_string(i);
    item.drvPath = graph.path(static_cast<graph::NodeId>(i));
    head.push_back(item);
  }
  JobReview review;
  std::vector<graph::NodeId> seeds;
  for (int i = 0; i < kNodes; i += 10) {
    PackageChange change;
    change.attr = "p" + std::to_string(i);
    change.change = ChangeClass::RebuildOnly;
    change.rebuild = true;
    change.drvPath = graph.path(static_cast<graph::NodeId>(i));
    review.changes.push_back(change);
    seeds.push_back(static_cast<graph::NodeId>(i));
  }
  RebuildImpact::Options options;
  options.full = true;
  RebuildImpact::compute(graph, head, review, options);
  ASSERT_EQ(review.changes.size(), 300u);
  std::vector<bool> isSeed(kNodes, false), dependsOnASeed(kNodes, false);
  for (auto seed : seeds) isSeed[seed] = true;
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    std::size_t all = 0, jobs = 0;
    graph.forEachDependent({seeds[k]}, [&](graph::NodeId node) {
      ++all;
      jobs += node % 2 == 0 ? 1 : 0;
      dependsOnASeed[node] = true;
    });
    EXPECT_EQ(review.changes[k].dependentDerivations, all) << review.changes[k].attr;
    EXPECT_EQ(review.changes[k].dependentJobs, jobs) << review.changes[k].attr;
  }
  std::size_t becauseOfAnother = 0;
  for (std::size_t k = 0; k < seeds.size(); ++k) {
    EXPECT_EQ(review.changes[k].dependencyRebuilt, dependsOnASeed[seeds[k]]) << review.changes[k].attr;
    becauseOfAnother += review.changes[k].dependencyRebuilt ? 1 : 0;
  }
  EXPECT_GT(becauseOfAnother, 200u) << "a mass rebuild: most rebuild because of another";
  EXPECT_GT(review.changes[0].dependentDerivations, 2000u) << "a core package reaches most of the graph";
}

}  // namespace
}  // namespace ekaci::review
