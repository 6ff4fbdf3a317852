#include "kernel/scheduler/GraphEviction.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace ekaci::scheduler {
namespace {

class GraphEvictionTest : public ::testing::Test {
 protected:
  BuildNodeId add(const std::string& name, BuildState state, std::set<std::int64_t> jobsets = {}) {
    BuildGraph::Node node;
    node.path = "/nix/store/" + name + ".drv";
    node.status = BuildStatus{state};
    node.jobsets = std::move(jobsets);
    return graph.add(std::move(node));
  }
  std::set<std::string> names(const std::vector<BuildNodeId>& ids) const {
    std::set<std::string> out;
    for (BuildNodeId n : ids) out.insert(graph[n].path.substr(11, graph[n].path.size() - 15));
    return out;
  }

  GraphEviction::Choice choose(std::size_t target) const {
    return GraphEviction::choose(graph, target, GraphEviction::candidates(graph, held));
  }
  GraphEviction::Census census() const { return GraphEviction::census(graph, GraphEviction::candidates(graph, held)); }

  BuildGraph graph;
  std::vector<bool> held;
};

TEST_F(GraphEvictionTest, OnlyFinishedWorkNothingNeedsLeavesAndNeverAnInputOfWhatStays) {
  const auto claimed = add("claimed", BuildState::Success, {1});
  const auto building = add("building", BuildState::Building);
  const auto heldDone = add("held-done", BuildState::Success);  // told during a running batch
  const auto queued = add("queued", BuildState::Queued);
  const auto underQueued = add("under-queued", BuildState::Success);
  const auto free1 = add("free-success", BuildState::Success);
  const auto free2 = add("free-failure", BuildState::Failure);
  const auto free3 = add("free-blocked", BuildState::Blocked);
  graph.link(queued, underQueued);  // a queued node keeps its inputs
  graph.link(free2, claimed);       // inputs of a leaving node may stay
  held.assign(graph.nodes().size(), false);
  held[heldDone] = true;

  const auto choice = choose(0);
  EXPECT_EQ(names(choice.nodes), (std::set<std::string>{"free-success", "free-failure", "free-blocked"}));
  EXPECT_EQ(choice.perTier, (std::array<std::size_t, 3>{1, 1, 1}));
  const auto counted = census();
  EXPECT_EQ(counted.candidates, (std::array<std::size_t, 3>{1, 1, 1}));
  EXPECT_EQ(counted.pinned, 5u);

  graph.remove(choice.nodes);
  EXPECT_EQ(graph.size(), 5u);
  EXPECT_TRUE(graph[claimed].dependents.empty());
  for (BuildNodeId n : {claimed, building, heldDone, queued, underQueued}) EXPECT_TRUE(graph.live(n));
  EXPECT_FALSE(graph.live(free1) || graph.live(free2) || graph.live(free3));
}

TEST_F(GraphEvictionTest, TheCheapestTierAndTheLeastRecentlyClaimedLeaveFirst) {
  // Claimed at different times, then released: success old, success new, failure, blocked.
  const auto oldSuccess = add("old-success", BuildState::Success);
  const auto newSuccess = add("new-success", BuildState::Cached);
  const auto failure = add("failure", BuildState::Failure);
  const auto transitive = add("transitive", BuildState::TransitiveFailure);
  const auto keep = add("keep", BuildState::Queued, {9});
  for (BuildNodeId n : {failure, transitive, newSuccess}) graph.claim({n}, 1);
  graph.claim({oldSuccess}, 0);  // claimed last but...
  graph.claim({newSuccess}, 2);  // ...newSuccess was claimed again after it
  for (BuildNodeId n : {oldSuccess, newSuccess, failure, transitive}) graph[n].jobsets.clear();
  ASSERT_LT(graph[oldSuccess].lastClaimed, graph[newSuccess].lastClaimed);

  EXPECT_EQ(names(choose(4).nodes), (std::set<std::string>{"transitive"}));
  EXPECT_EQ(names(choose(3).nodes), (std::set<std::string>{"transitive", "failure"}));
  EXPECT_EQ(names(choose(2).nodes), (std::set<std::string>{"transitive", "failure", "old-success"}));
  // Never below what must stay.
  EXPECT_EQ(choose(0).nodes.size(), 4u);
  EXPECT_TRUE(choose(5).nodes.empty());
  (void)keep;
}

TEST_F(GraphEvictionTest, ANodeLeavesWithEverythingThatDependsOnIt) {
  // top -> mid -> base, all finished and free; base is the cheapest (failed) but its
  // dependents succeeded: they leave with it, so that no node that stays misses an input.
  const auto base = add("base", BuildState::TransitiveFailure);
  const auto mid = add("mid", BuildState::Success);
  const auto top = add("top", BuildState::Success);
  const auto other = add("other", BuildState::Success);
  graph.link(mid, base);
  graph.link(top, mid);
  const auto choice = choose(3);
  EXPECT_EQ(names(choice.nodes), (std::set<std::string>{"base", "mid", "top"}));
  EXPECT_EQ(choice.perTier, (std::array<std::size_t, 3>{1, 0, 2}));
  graph.remove(choice.nodes);
  EXPECT_EQ(graph.size(), 1u);
  EXPECT_TRUE(graph.live(other));
}

}  // namespace
}  // namespace ekaci::scheduler
