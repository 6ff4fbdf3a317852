#include "kernel/scheduler/Dispatcher.h"

#include <gtest/gtest.h>

namespace ekaci::scheduler {
namespace {

SchedulerConfig localOnly(std::size_t jobs) {
  SchedulerConfig c;
  c.localMaxJobs = jobs;
  c.fixedOutputMaxJobs = 1;
  return c;
}

// A buildable node of `system`, needed by jobset 1 unless `wanted` is false.
BuildNodeId buildable(BuildGraph& graph, const std::string& name, const std::string& system = "x86_64-linux",
                      bool wanted = true) {
  BuildGraph::Node node;
  node.path = "/nix/store/" + std::string(32, 'a') + "-" + name + ".drv";
  node.needs.system = system;
  node.status = BuildStatus{BuildState::Buildable};
  if (wanted) node.jobsets.insert(1);
  return graph.add(std::move(node));
}

TEST(DispatcherTest, TheMostUrgentStartFirstAndALocalSlotTakesABatch) {
  BuildGraph graph;
  BuilderPool pool(localOnly(1), "x86_64-linux");
  Dispatcher dispatcher(2);
  const auto late = buildable(graph, "late"), urgent = buildable(graph, "urgent"), older = buildable(graph, "older");
  dispatcher.enqueue(late, graph[late].needs, 50, 100);
  dispatcher.enqueue(urgent, graph[urgent].needs, 1, 300);  // fewest rebuilds first
  dispatcher.enqueue(older, graph[older].needs, 50, 10);    // then the oldest jobset
  auto plan = dispatcher.plan(graph, pool);
  ASSERT_EQ(plan.launches.size(), 1u) << "one local slot";
  EXPECT_EQ(plan.launches[0].nodes, (std::vector<BuildNodeId>{urgent, older}));
  EXPECT_EQ(pool.active(plan.launches[0].builder), 1u) << "the slot is taken";
  EXPECT_EQ(dispatcher.lengths().at("x86_64-linux/build"), 1u);
  EXPECT_TRUE(dispatcher.plan(graph, pool).launches.empty()) << "busy: the rest waits";
  pool.release(plan.launches[0].builder);
  plan = dispatcher.plan(graph, pool);
  ASSERT_EQ(plan.launches.size(), 1u);
  EXPECT_EQ(plan.launches[0].nodes, (std::vector<BuildNodeId>{late}));
}

TEST(DispatcherTest, WhatNoJobsetWantsOrNoBuilderCanTakeIsHandedBack) {
  BuildGraph graph;
  BuilderPool pool(localOnly(2), "x86_64-linux");
  Dispatcher dispatcher(8);
  const auto orphan = buildable(graph, "orphan", "x86_64-linux", false);
  const auto foreign = buildable(graph, "foreign", "mips-linux");
  const auto done = buildable(graph, "done");
  graph[done].status = BuildStatus{BuildState::Success};  // finished since it was queued
  for (auto n : {orphan, foreign, done}) dispatcher.enqueue(n, graph[n].needs, 1, 1);
  auto plan = dispatcher.plan(graph, pool);
  EXPECT_TRUE(plan.launches.empty());
  EXPECT_EQ(plan.abandoned, (std::vector<BuildNodeId>{orphan}));
  ASSERT_EQ(plan.unsatisfiable.size(), 1u);
  EXPECT_EQ(plan.unsatisfiable[0].first, foreign);
  EXPECT_NE(plan.unsatisfiable[0].second.find("mips-linux"), std::string::npos) << plan.unsatisfiable[0].second;
  for (const auto& [queue, length] : dispatcher.lengths()) EXPECT_EQ(length, 0u) << queue;
}

TEST(DispatcherTest, FixedOutputDerivationsQueueApart) {
  BuildGraph graph;
  BuilderPool pool(localOnly(1), "x86_64-linux");
  Dispatcher dispatcher(8);
  const auto fetch = buildable(graph, "fetch");
  graph[fetch].needs.fixedOutput = true;
  const auto build = buildable(graph, "build");
  for (auto n : {fetch, build}) dispatcher.enqueue(n, graph[n].needs, 1, 1);
  auto plan = dispatcher.plan(graph, pool);
  ASSERT_EQ(plan.launches.size(), 2u) << "the fixed-output slot and the general one";
  EXPECT_EQ(Dispatcher::queueName(graph[fetch].needs), "x86_64-linux/fixed-output");
  for (const auto& launch : plan.launches) EXPECT_EQ(launch.nodes.size(), 1u);
}

// With every slot busy, a plan looks at a bounded number of entries, keeps all of them, and
// still starts the most urgent one the moment a slot frees (the queue's length does not
// matter: the benchmark measures the latency).
TEST(DispatcherTest, AHundredThousandWaitingStayQueuedInOrder) {
  BuildGraph graph;
  BuilderPool pool(localOnly(1), "x86_64-linux");
  Dispatcher dispatcher(1);
  for (int i = 0; i < 100000; ++i) {
    const auto n = buildable(graph, "n" + std::to_string(i));
    dispatcher.enqueue(n, graph[n].needs, 100000 - i, 0);
  }
  pool.acquire(0);
  EXPECT_TRUE(dispatcher.plan(graph, pool).launches.empty());
  EXPECT_EQ(dispatcher.lengths().at("x86_64-linux/build"), 100000u);
  pool.release(0);
  auto plan = dispatcher.plan(graph, pool);
  ASSERT_EQ(plan.launches.size(), 1u);
  EXPECT_EQ(plan.launches[0].nodes, (std::vector<BuildNodeId>{99999}));
  EXPECT_EQ(dispatcher.waiting(2), (std::vector<BuildNodeId>{99998, 99997}));
}

}  // namespace
}  // namespace ekaci::scheduler
