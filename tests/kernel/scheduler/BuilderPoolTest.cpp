#include "kernel/scheduler/BuilderPool.h"

#include <gtest/gtest.h>

namespace ekaci::scheduler {
namespace {

nix::BuilderSpec remote(const std::string& uri, int speed, std::vector<std::string> supported = {},
                        std::vector<std::string> mandatory = {}, std::size_t jobs = 1) {
  nix::BuilderSpec b;
  b.name = b.uri = uri;
  b.kind = nix::BuilderKind::Remote;
  b.systems = {"x86_64-linux", "aarch64-linux"};
  b.maxJobs = jobs;
  b.speedFactor = speed;
  b.supportedFeatures = std::move(supported);
  b.mandatoryFeatures = std::move(mandatory);
  return b;
}

SchedulerConfig config(std::vector<nix::BuilderSpec> remotes = {}) {
  SchedulerConfig c;
  c.localMaxJobs = 1;
  c.fixedOutputMaxJobs = 1;
  c.localFeatures = {"big-parallel"};
  c.remoteBuilders = std::move(remotes);
  return c;
}

TEST(BuilderPoolTest, FixedOutputDerivationsUseTheirOwnCapacity) {
  BuilderPool pool(config(), "x86_64-linux");
  auto fod = pool.route({"x86_64-linux", {}, true, false});
  ASSERT_EQ(fod.verdict, BuilderPool::Verdict::Assigned);
  EXPECT_EQ(pool.spec(fod.builder).kind, nix::BuilderKind::FixedOutput);
  pool.acquire(fod.builder);
  // The general slot is still free for ordinary builds...
  auto build = pool.route({"x86_64-linux", {}, false, false});
  ASSERT_EQ(build.verdict, BuilderPool::Verdict::Assigned);
  EXPECT_EQ(pool.spec(build.builder).kind, nix::BuilderKind::Local);
  // ...and a second fixed-output derivation falls back to it.
  auto second = pool.route({"x86_64-linux", {}, true, false});
  ASSERT_EQ(second.verdict, BuilderPool::Verdict::Assigned);
  EXPECT_EQ(second.builder, 0u);
  pool.acquire(0);
  EXPECT_EQ(pool.route({"x86_64-linux", {}, true, false}).verdict, BuilderPool::Verdict::Busy);
  pool.release(fod.builder);
  EXPECT_EQ(pool.route({"x86_64-linux", {}, true, false}).builder, 1u);
}

TEST(BuilderPoolTest, PreferLocalStaysLocalAndOthersGoToTheFastestFreeBuilder) {
  BuilderPool pool(config({remote("ssh://slow", 1), remote("ssh://fast", 4, {}, {}, 2)}), "x86_64-linux");
  auto local = pool.route({"x86_64-linux", {}, false, true});
  ASSERT_EQ(local.verdict, BuilderPool::Verdict::Assigned);
  EXPECT_EQ(local.builder, 0u);
  auto any = pool.route({"x86_64-linux", {}, false, false});
  EXPECT_EQ(pool.spec(any.builder).name, "ssh://fast");
  pool.acquire(any.builder);  // fast: 4/2 = 2, still ahead of local and slow (1)
  EXPECT_EQ(pool.spec(pool.route({"x86_64-linux", {}, false, false}).builder).name, "ssh://fast");
  pool.acquire(any.builder);  // fast is full
  const auto next = pool.route({"x86_64-linux", {}, false, false});
  EXPECT_NE(pool.spec(next.builder).name, "ssh://fast");
  // Only remotes build aarch64 here.
  auto arm = pool.route({"aarch64-linux", {}, false, true});
  EXPECT_EQ(pool.spec(arm.builder).name, "ssh://slow");
  pool.acquire(0);
  EXPECT_EQ(pool.route({"x86_64-linux", {}, false, true}).verdict, BuilderPool::Verdict::Busy);
}

TEST(BuilderPoolTest, FeaturesAndMandatoryFeaturesDecide) {
  BuilderPool pool(config({remote("ssh://kvm", 1, {"kvm"}), remote("ssh://bench", 1, {}, {"benchmark"})}),
                   "x86_64-linux");
  EXPECT_EQ(pool.spec(pool.route({"x86_64-linux", {"kvm"}, false, false}).builder).name, "ssh://kvm");
  EXPECT_EQ(pool.spec(pool.route({"x86_64-linux", {"benchmark"}, false, false}).builder).name, "ssh://bench");
  EXPECT_EQ(pool.spec(pool.route({"x86_64-linux", {"big-parallel"}, false, false}).builder).name, "local");
  // The benchmark machine takes nothing that does not ask for it.
  for (int i = 0; i < 2; ++i) {  // local and kvm, one slot each
    auto r = pool.route({"x86_64-linux", {}, false, false});
    ASSERT_EQ(r.verdict, BuilderPool::Verdict::Assigned);
    EXPECT_NE(pool.spec(r.builder).name, "ssh://bench");
    pool.acquire(r.builder);
  }
  EXPECT_EQ(pool.route({"x86_64-linux", {}, false, false}).verdict, BuilderPool::Verdict::Busy);
}

TEST(BuilderPoolTest, NoCapableBuilderIsUnsatisfiableButADownOneIsOnlyBusy) {
  BuilderPool pool(config({remote("ssh://kvm", 1, {"kvm"})}), "x86_64-linux");
  auto none = pool.route({"x86_64-linux", {"nixos-test"}, false, false});
  EXPECT_EQ(none.verdict, BuilderPool::Verdict::Unsatisfiable);
  EXPECT_NE(none.reason.find("nixos-test"), std::string::npos) << none.reason;
  EXPECT_NE(none.reason.find("ssh://kvm"), std::string::npos) << none.reason;
  EXPECT_EQ(pool.route({"riscv64-linux", {}, false, false}).verdict, BuilderPool::Verdict::Unsatisfiable);
  pool.setHealthy(2, false);
  EXPECT_EQ(pool.route({"x86_64-linux", {"kvm"}, false, false}).verdict, BuilderPool::Verdict::Busy);
  pool.setHealthy(2, true);
  EXPECT_EQ(pool.route({"x86_64-linux", {"kvm"}, false, false}).verdict, BuilderPool::Verdict::Assigned);
}

}  // namespace
}  // namespace ekaci::scheduler
