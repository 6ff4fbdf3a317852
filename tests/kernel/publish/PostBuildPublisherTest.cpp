#include "kernel/publish/PostBuildPublisher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

#include "ekaci/sdk/testing/FakeHostServices.h"
#include "kernel/plugin_host/GuardedCache.h"
#include "tests/kernel/publish/PublishFixture.h"

namespace ekaci::publish {
namespace {

// A cache whose pushes fail the first `failures` times (or throw, or block), and count.
class ScriptedCache : public sdk::Cache {
 public:
  sdk::Result<sdk::CachePushResult> push(const sdk::CachePushRequest& request) override {
    ++calls;
    lastRequest = request;
    while (block) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (throws) throw std::runtime_error("plugin bug");
    if (failures > 0) {
      --failures;
      return sdk::Error(sdk::ErrorCode::CachePushFailed, "503 from the cache");
    }
    sdk::CachePushResult r;
    r.pushed = request.storePaths.size();
    r.bytes = 1000 * request.storePaths.size();
    return r;
  }
  sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& paths) override {
    return std::vector<bool>(paths.size(), false);
  }
  std::string describe() const override { return "scripted"; }

  std::atomic<int> calls{0};
  std::atomic<int> failures{0};
  std::atomic<bool> throws{false};
  std::atomic<bool> block{false};
  sdk::CachePushRequest lastRequest;
};

class PostBuildPublisherTest : public ::testing::Test, protected PublishFixture {
 protected:
  PostBuildPublisherTest()
      : hooks_(HookRunner::Services{processes, *storage, clock, logger, metrics}, [this] {
          HookRunner::Settings s;
          s.allowedCommands = {"true"};
          s.logsDir = dir.path() / "logs";
          return s;
        }()) {}

  // The cache as the registry holds the instances it creates: guarded.
  ScriptedCache& addCache(const std::string& id, config::PermissionsConfig permissions = {}) {
    auto cache = std::make_unique<ScriptedCache>();
    auto* raw = cache.get();
    caches_.add(
        CacheRegistry::Entry{id, "scripted", std::move(permissions), nullptr,
                             std::make_unique<plugin_host::GuardedCache>(
                                 std::move(cache), plugin_host::PluginCallGuard("cache scripted/" + id, pluginHost_))});
    return *raw;
  }
  std::unique_ptr<PostBuildPublisher> publisher(std::size_t maxQueued = 100) {
    PostBuildPublisher::Settings s;
    s.backoff = std::chrono::milliseconds(10);
    s.maxAttempts = 3;
    s.maxQueued = maxQueued;
    return std::make_unique<PostBuildPublisher>(PostBuildPublisher::Services{*storage, clock, logger, metrics}, caches_,
                                                hooks_, s);
  }
  scheduler::BuiltDerivation built(bool fixedOutput = false, std::int64_t jobset = 7) const {
    scheduler::BuiltDerivation b;
    b.drvId = drvId;
    b.drvPath = drvPath;
    b.outputs = {"/nix/store/1b9a2fz6gmxpw3dr1bqi5v8ypqm2h9a8-hello-2.12.1"};
    b.system = "x86_64-linux";
    b.fixedOutput = fixedOutput;
    b.jobsets = {jobset};
    return b;
  }
  static PublishTarget target(std::vector<std::string> caches) {
    PublishTarget t;
    t.repository = "acme/pkgs";
    t.branch = "pull/4";
    t.commitSha = "abc";
    t.jobName = "packages";
    t.caches = std::move(caches);
    return t;
  }
  std::string stateOf(const std::string& cache) {
    auto row = storage->findCachePush(cache, built().outputs.front());
    return row && *row ? (*row)->state : "";
  }

  sdk::testing::FakeHostServices pluginHost_;  // declared before caches_: the guards refer to it
  CacheRegistry caches_;
  HookRunner hooks_;
};

TEST_F(PostBuildPublisherTest, AnOpenJobsetsWorkSurvivesARestart) {
  storage::RepositoryRecord repository;
  repository.forgeId = "local";
  repository.owner = "acme";
  repository.name = "pkgs";
  repository.cloneUrl = "/srv/acme/pkgs";
  auto repo = storage->upsertRepository(repository);
  ASSERT_TRUE(repo);
  auto commit = storage->upsertCommit(*repo, "abc");
  ASSERT_TRUE(commit);
  storage::JobsetRecord record;
  record.repositoryId = *repo;
  record.commitId = *commit;
  record.jobName = "packages";
  record.evalState = storage::EvalState::Running;
  auto jobset = storage->createJobset(record);
  ASSERT_TRUE(jobset);
  auto& cache = addCache("main");
  {
    auto before = publisher();
    before->expect(*jobset, target({"main"}));
    before->stop();
  }  // the server stops before the jobset's derivation is built
  auto after = publisher();
  EXPECT_EQ(after->restore(), 1u);
  after->built(built(false, *jobset));
  ASSERT_TRUE(after->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(cache.calls, 1) << "the recovered build is pushed although no review registered it again";
  EXPECT_EQ(cache.lastRequest.branch, "pull/4");
  after->forget(*jobset);
  EXPECT_EQ(publisher()->restore(), 0u) << "a concluded jobset's work is not restored";
}

}  // namespace

TEST_F(PostBuildPublisherTest, OutputsArePushedOnceAndRecorded) {
  auto& cache = addCache("main");
  auto p = publisher();
  EXPECT_TRUE(p->expect(7, target({"main"})).empty());
  p->built(built());
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(cache.calls, 1);
  EXPECT_EQ(cache.lastRequest.repository, "acme/pkgs");
  EXPECT_EQ(cache.lastRequest.branch, "pull/4");
  EXPECT_EQ(cache.lastRequest.timeout, std::chrono::seconds(300));
  EXPECT_EQ(stateOf("main"), "pushed");
  EXPECT_EQ(metrics.value("cache_pushes_total", {{"cache", "main"}, {"result", "success"}}), 1.0);
  EXPECT_EQ(metrics.value("cache_push_paths_total", {{"cache", "main"}}), 1.0);
  EXPECT_EQ(metrics.value("cache_push_bytes_total", {{"cache", "main"}}), 1000.0);
  EXPECT_EQ(metrics.observations("cache_push_duration_seconds", {{"cache", "main"}}).size(), 1u);
  // The same outputs again (another jobset built it too): already in the cache, not pushed.
  p->built(built());
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(cache.calls, 1);
}

TEST_F(PostBuildPublisherTest, FailedPushesAreRetriedWithBackoffThenGivenUp) {
  auto& flaky = addCache("flaky");
  flaky.failures = 2;
  auto& broken = addCache("broken");
  broken.failures = 1000;
  auto p = publisher();
  p->expect(7, target({"flaky", "broken"}));
  p->built(built());
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(flaky.calls, 3);
  EXPECT_EQ(stateOf("flaky"), "pushed");
  EXPECT_EQ(broken.calls, 3) << "maxAttempts";
  EXPECT_EQ(stateOf("broken"), "failed");
  auto row = storage->findCachePush("broken", built().outputs.front());
  ASSERT_TRUE(row && *row);
  EXPECT_EQ((*row)->attempts, 3);
  EXPECT_NE((*row)->lastError.find("503 from the cache"), std::string::npos);
  EXPECT_EQ(metrics.value("cache_push_retries_total", {{"cache", "flaky"}}), 2.0);
  EXPECT_EQ(metrics.value("cache_pushes_total", {{"cache", "broken"}, {"result", "failure"}}), 1.0);
}

TEST_F(PostBuildPublisherTest, DeniedAndUnknownCachesAreSkippedWithAReason) {
  config::PermissionsConfig onlyMain;
  onlyMain.allowAll = false;
  onlyMain.allowedRepos = {"acme/*"};
  onlyMain.allowedBranches = {"main"};
  auto& production = addCache("production", onlyMain);
  auto p = publisher();
  auto lines = p->expect(7, target({"production", "gone"}));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "job packages: cache 'production' not pushed: branch pull/4 is not in allowed_branches");
  EXPECT_EQ(lines[1], "job packages: cache 'gone' is not defined by this server; not pushed");
  p->built(built());
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(production.calls, 0);
  EXPECT_EQ(stateOf("production"), "skipped");
  EXPECT_EQ(metrics.value("cache_pushes_skipped_total", {{"cache", "production"}, {"reason", "not_allowed"}}), 1.0);
  EXPECT_EQ(metrics.value("cache_pushes_skipped_total", {{"cache", "gone"}, {"reason", "unknown"}}), 1.0);
}

TEST_F(PostBuildPublisherTest, APluginThatThrowsDoesNotStopThePublisher) {
  auto& bad = addCache("bad");
  bad.throws = true;
  addCache("good");
  auto p = publisher();
  p->expect(7, target({"bad", "good"}));
  p->built(built());
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(stateOf("bad"), "failed");
  auto row = storage->findCachePush("bad", built().outputs.front());
  EXPECT_NE((*row)->lastError.find("E3009"), std::string::npos) << (*row)->lastError;
  EXPECT_EQ(stateOf("good"), "pushed");
  EXPECT_EQ(pluginHost_.fakeMetrics().value("plugin_call_failures_total", {{"call", "push"}}), 3.0)
      << "one per attempt";
}

TEST_F(PostBuildPublisherTest, FixedOutputDerivationsAlsoRunTheFodHooks) {
  auto p = publisher();
  auto t = target({});
  t.postBuildHooks = {config::HookConfig{"always", {"true"}, {}}};
  t.fodPostBuildHooks = {config::HookConfig{"fod", {"true"}, {}}};
  p->expect(7, t);
  p->built(built(false));
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  auto runs = storage->hookRunsOf(drvId);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->front().hookName, "always");
  p->built(built(true));
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  runs = storage->hookRunsOf(drvId);
  ASSERT_EQ(runs->size(), 3u);
  std::multiset<std::string> names;
  for (const auto& r : *runs) names.insert(r.hookName);
  EXPECT_EQ(names.count("always"), 2u);
  EXPECT_EQ(names.count("fod"), 1u);
}

TEST_F(PostBuildPublisherTest, OnlyExpectedJobsetsPublishAndForgottenOnesStop) {
  auto& cache = addCache("main");
  auto p = publisher();
  p->built(built(false, 99));  // nobody said what jobset 99 is
  p->expect(7, target({"main"}));
  p->forget(7);
  p->built(built(false, 7));
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_EQ(cache.calls, 0);
}

TEST_F(PostBuildPublisherTest, TheQueueIsBounded) {
  auto& slow = addCache("slow");
  slow.block = true;
  auto p = publisher(2);
  p->expect(7, target({"slow"}));
  for (int i = 0; i < 10; ++i) {
    auto b = built();
    b.outputs = {"/nix/store/" + std::string(31, 'a') + std::to_string(i) + "-x"};
    p->built(b);
  }
  EXPECT_GE(metrics.value("post_build_tasks_dropped_total").value_or(0), 6.0);
  slow.block = false;
  ASSERT_TRUE(p->waitIdle(std::chrono::seconds(10)));
  EXPECT_LE(slow.calls, 4);
}

}  // namespace ekaci::publish
