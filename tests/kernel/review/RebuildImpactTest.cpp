// The blast radius of rebuilt packages, and which of them rebuild because of another.
#include "kernel/review/RebuildImpact.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace ekaci::review
