// The scheduler against real Nix builds of generated derivation graphs.
#include "kernel/scheduler/Scheduler.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <thread>

#include "tests/support/SchedulerHarness.h"

namespace ekaci::scheduler {
namespace {

using namespace std::chrono_literals;

std::string hostSystem() {
  services::PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = {"nix-instantiate", "--eval", "--expr", "builtins.currentSystem"};
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  std::string text = result ? result->stdoutText : "";
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '"' || c == '\n'; }), text.end());
  return text;
}

class SchedulerTest : public ::testing::Test, public testsupport::SchedulerHarness {
 public:
  void SetUp() override {
    config.localMaxJobs = 2;
    config.fixedOutputMaxJobs = 1;
    config.nix.noOutputTimeout = 60s;
    config.nix.maxDuration = 120s;
    config.failureCacheTtl = 3600s;
    config.healthCheckInterval = 3600s;
    std::random_device random;
    nonce = std::to_string(random()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }

  // Instantiates `attrs` (Nix attribute bindings using `mk`) and returns attr -> drv path.
  std::map<std::string, std::string> instantiate(const std::string& attrs, const std::vector<std::string>& names) {
    const std::string file = (dir.path() / ("graph-" + std::to_string(++files) + ".nix")).string();
    std::ofstream(file)
        << "let\n  nonce = \"" << nonce << "\";\n"
        << "  mk = { name, deps ? [], script ? \"\", features ? [], preferLocal ? false, extra ? {} }:\n"
        << "    derivation ({ name = \"${name}-${nonce}\"; system = builtins.currentSystem;\n"
        << "      builder = \"/bin/sh\"; PATH = \"/usr/bin:/bin\"; inherit deps;\n"
        << "      requiredSystemFeatures = features; preferLocalBuild = preferLocal;\n"
        << "      args = [ \"-c\" \"${script}\\necho ${name} > $out\" ]; } // extra);\n"
        << "in rec {\n"
        << attrs << "\n}\n";
    std::map<std::string, std::string> out;
    for (const auto& name : names) {
      services::PosixProcessRunner runner;
      sdk::ProcessSpec spec;
      spec.argv = {"nix-instantiate", file, "-A", name};
      spec.inheritEnvironment = true;
      auto result = runner.run(spec);
      EXPECT_TRUE(result && result->succeeded()) << (result ? result->stderrText : result.error().describe());
      std::string path = result ? result->stdoutText : "";
      if (!path.empty() && path.back() == '\n') path.pop_back();
      out[name] = path;
    }
    return out;
  }

  std::unique_ptr<Scheduler> make() {
    auto s = std::make_unique<Scheduler>(services(), config, system);
    EXPECT_TRUE(s->start());
    return s;
  }

  JobsetBuildRequest request(std::int64_t jobset, const std::vector<std::string>& roots, std::int64_t rebuilds = 1,
                             const std::string& key = "") {
    JobsetBuildRequest r;
    r.jobsetId = jobset;
    r.rebuildCount = rebuilds;
    r.supersedeKey = key;
    for (const auto& root : roots) r.roots.push_back(storage::BuildRoot{0, root, true});
    return r;
  }

  // `r`, asking to build again what has a cached failure.
  static JobsetBuildRequest forgetting(JobsetBuildRequest r) {
    r.forgetFailures = true;
    return r;
  }

  // Builds a derivation with Nix directly, as something outside eka-ci would.
  void realiseOutside(const std::string& drv) {
    sdk::ProcessSpec build;
    build.argv = {"nix-store", "--realise", drv, "--option", "substituters", ""};
    build.inheritEnvironment = true;
    auto result = processes.run(build);
    ASSERT_TRUE(result && result->succeeded()) << (result ? result->stderrText : result.error().describe());
  }

  // A directory builders can read and write despite the sandbox (bound into it with
  // extra-sandbox-paths): the side channel of tests whose builders depend on the outside.
  std::string sharedWithBuilders() {
    const auto shared = dir.path() / "shared-with-builders";
    std::filesystem::create_directories(shared);
    std::filesystem::permissions(shared, std::filesystem::perms::all);
    config.nix.options.emplace_back("extra-sandbox-paths", shared.string());
    return shared.string();
  }

  // Polls until the derivation's stored state is (or, with `until` false, stops being) `state`.
  void waitForState(const std::string& drv, const std::string& state, bool until = true) {
    for (int i = 0; i < 200 && (stateOf(drv) == state) != until; ++i) std::this_thread::sleep_for(50ms);
  }

  // Two pushes to one pull request: the first wants old-top (shared + a 60 s build), the
  // second only new-top (shared). Returns the derivations and both jobsets.
  struct Supersede {
    std::map<std::string, std::string> drvs;
    std::int64_t first = 0, second = 0;
  };
  Supersede supersede(Scheduler& scheduler, const std::string& key, const std::string& sharedSleep) {
    Supersede out;
    out.drvs = instantiate("shared = mk { name = \"shared\"; script = \"sleep " + sharedSleep +
                               "\"; };\n"
                               "slowOld = mk { name = \"slow-old\"; script = \"echo old; sleep 60\"; };\n"
                               "oldTop = mk { name = \"old-top\"; deps = [ shared slowOld ]; };\n"
                               "newTop = mk { name = \"new-top\"; deps = [ shared ]; };",
                           {"shared", "slowOld", "oldTop", "newTop"});
    out.first = newJobset("push-1");
    EXPECT_TRUE(scheduler.submit(request(out.first, {out.drvs["oldTop"]}, 1, key)));
    waitForState(out.drvs["slowOld"], "building");
    EXPECT_EQ(stateOf(out.drvs["slowOld"]), "building");
    out.second = newJobset("push-2");
    EXPECT_TRUE(scheduler.submit(request(out.second, {out.drvs["newTop"]}, 1, key)));
    EXPECT_TRUE(scheduler.waitForJobset(out.second, 60s));
    return out;
  }

  // What a server killed mid-build leaves behind: the jobset open, the derivation building.
  void leftBuildingByACrash(std::int64_t jobset, const std::string& drv) {
    storage::DrvRecord row;
    row.drvPath = drv;
    row.system = system;
    const auto id = storage->upsertDrvs({row}).value().front();
    ASSERT_TRUE(
        storage->submitBuildJobset({jobset, storage::BuildJobsetState::Building, 1, "", 1, 0, {{id, drv, true}}}));
    ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, "building", "building on local", 1}));
  }

  std::string stateOf(const std::string& drv) {
    auto status = storage->drvStatus(drv);
    return status && *status ? (*status)->state : "absent";
  }

  std::vector<storage::BuildEventRecord> eventsOf(const std::string& drv) {
    auto status = storage->drvStatus(drv);
    if (!status || !*status) return {};
    auto events = storage->buildEvents((*status)->drvId);
    return events ? *events : std::vector<storage::BuildEventRecord>{};
  }

  std::vector<std::string> statesSeen(const std::string& drv) {
    std::vector<std::string> out;
    for (const auto& e : eventsOf(drv)) out.push_back(e.state);
    return out;
  }

  std::size_t count(const std::vector<std::string>& states, const std::string& state) {
    return static_cast<std::size_t>(std::count(states.begin(), states.end(), state));
  }

  storage::BuildJobsetState conclusion(std::int64_t jobset) {
    return storage->findBuildJobset(jobset).value().value().state;
  }

  std::string system = hostSystem();
  std::string nonce;
  int files = 0;
};

TEST_F(SchedulerTest, BuildsADependencyChainInOrderAndConcludesSucceeded) {
  auto drvs = instantiate(R"(
    a = mk { name = "a"; };
    b = mk { name = "b"; deps = [ a ]; };
    c = mk { name = "c"; deps = [ a b ]; script = "echo compiling c"; };
  )",
                          {"a", "b", "c"});
  auto scheduler = make();
  const auto jobset = newJobset("chain");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["c"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  for (const auto& name : {"a", "b", "c"}) {
    EXPECT_EQ(stateOf(drvs[name]), "success") << name;
    EXPECT_EQ(statesSeen(drvs[name]), (std::vector<std::string>{"queued", "buildable", "building", "success"})) << name;
  }
  // a was built before b, b before c: c's building event comes after b's success.
  const auto events = [&](const std::string& d) { return eventsOf(d); };
  EXPECT_LT(events(drvs["b"]).back().id, events(drvs["c"])[2].id);
  EXPECT_LT(events(drvs["a"]).back().id, events(drvs["b"])[2].id);
  auto log = scheduler->logs().read(*nix::BuildLogStore::drvHash(drvs["c"]));
  ASSERT_TRUE(log) << log.error().describe();
  EXPECT_NE(log->find("compiling c"), std::string::npos) << *log;
  EXPECT_EQ(metrics.value("build_outcomes_total", {{"result", "success"}}), 3.0);
  EXPECT_EQ(metrics.observations("build_duration_seconds", {{"result", "success"}}).size(), 3u);
  EXPECT_EQ(metrics.value("builds_active", {{"builder", "local"}}), 0.0);
  EXPECT_EQ(metrics.value("builds_waiting_for_builder", {{"system", system}, {"queue", "build"}}), 0.0);
  EXPECT_EQ(metrics.value("jobsets_concluded_total", {{"result", "succeeded"}}), 1.0);
  // Idle again: the in-memory graph is dropped (storage keeps everything).
  for (int i = 0; i < 40 && scheduler->graphSize() > 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(scheduler->graphSize(), 0u);
  EXPECT_EQ(stateOf(drvs["c"]), "success");
}

TEST_F(SchedulerTest, AFailureIsRetriedOnceThenFailsItsDependentsTransitively) {
  auto drvs = instantiate(R"(
    bad = mk { name = "bad"; script = "echo broken; exit 1"; };
    mid = mk { name = "mid"; deps = [ bad ]; };
    top = mk { name = "top"; deps = [ mid ]; };
    fine = mk { name = "fine"; };
  )",
                          {"bad", "mid", "top", "fine"});
  auto scheduler = make();
  const auto jobset = newJobset("failing");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["top"], drvs["fine"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Failed);
  const auto bad = statesSeen(drvs["bad"]);
  EXPECT_EQ(count(bad, "building"), 2u);
  EXPECT_EQ(count(bad, "failed_retry"), 1u);
  EXPECT_EQ(bad.back(), "failure");
  EXPECT_EQ(stateOf(drvs["mid"]), "transitive_failure");
  EXPECT_EQ(stateOf(drvs["top"]), "transitive_failure");
  EXPECT_EQ(count(statesSeen(drvs["top"]), "building"), 0u);
  auto mid = storage->drvStatus(drvs["mid"]).value().value();
  EXPECT_NE(mid.detail.find(drvs["bad"]), std::string::npos) << mid.detail;
  EXPECT_EQ(stateOf(drvs["fine"]), "success");
  EXPECT_EQ(metrics.value("build_retries_total"), 1.0);
  EXPECT_EQ(metrics.value("build_transitive_failures_total"), 2.0);
  EXPECT_GT(storage->drvStatus(drvs["bad"]).value()->failureExpiresAt, 0);
}

TEST_F(SchedulerTest, ATransientFailureSucceedsOnTheRetry) {
  const auto marker = sharedWithBuilders() + "/failed-once";
  auto drvs = instantiate("flaky = mk { name = \"flaky\"; script = \"if [ ! -e " + marker + " ]; then touch " + marker +
                              "; echo transient; exit 1; fi\"; };",
                          {"flaky"});
  auto scheduler = make();
  const auto jobset = newJobset("flaky");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["flaky"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  EXPECT_EQ(statesSeen(drvs["flaky"]), (std::vector<std::string>{"queued", "buildable", "building", "failed_retry",
                                                                 "queued", "buildable", "building", "success"}));
  EXPECT_EQ(storage->drvStatus(drvs["flaky"]).value()->attempt, 2);
}

TEST_F(SchedulerTest, FixedOutputDerivationsRunOnTheirOwnCapacity) {
  auto drvs = instantiate(R"(
    src = mk { name = "src"; script = "printf source > $out; exit 0"; extra = {
      outputHashMode = "flat"; outputHashAlgo = "sha256";
      outputHash = "41cf6794ba4200b839c53531555f0f3998df4cbb01a4d5cb0b94e3ca5e23947d"; }; };
    pkg = mk { name = "pkg"; deps = [ src ]; };
  )",
                          {"src", "pkg"});
  auto scheduler = make();
  const auto jobset = newJobset("fod");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["pkg"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  auto src = eventsOf(drvs["src"]);
  auto pkg = eventsOf(drvs["pkg"]);
  EXPECT_EQ(src[2].detail, "building on local-fixed-output");
  EXPECT_EQ(pkg[2].detail, "building on local");
}

void checkTimeouts(SchedulerTest& t, std::size_t batchSize) {
  auto& config = t.config;
  config.batchSize = batchSize;
  config.nix.noOutputTimeout = 2s;
  config.nix.maxDuration = 4s;
  auto drvs = t.instantiate(R"(
    silent = mk { name = "silent"; script = "echo starting; sleep 60"; };
    chatty = mk { name = "chatty"; script = "i=0; while [ $i -lt 100 ]; do echo tick $i; sleep 0.5; i=$((i+1)); done"; };
    after = mk { name = "after"; deps = [ silent ]; };
  )",
                            {"silent", "chatty", "after"});
  auto scheduler = t.make();
  const auto jobset = t.newJobset("timeouts");
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(scheduler->submit(t.request(jobset, {drvs["after"], drvs["chatty"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 40s);  // nowhere near the 50-60 s the builds want
  EXPECT_EQ(t.stateOf(drvs["silent"]), "interrupted(timeout)");
  EXPECT_EQ(t.stateOf(drvs["chatty"]), "interrupted(timeout)");
  EXPECT_EQ(t.stateOf(drvs["after"]), "blocked");
  EXPECT_EQ(t.count(t.statesSeen(drvs["silent"]), "building"), 1u);  // timeouts are not retried
  EXPECT_EQ(t.conclusion(jobset), storage::BuildJobsetState::Failed);
  auto log = scheduler->logs().read(*nix::BuildLogStore::drvHash(drvs["chatty"]));
  ASSERT_TRUE(log);
  EXPECT_NE(log->find("tick 3"), std::string::npos);
  EXPECT_EQ(log->find("tick 99"), std::string::npos);
}

TEST_F(SchedulerTest, SilenceAndOverlongBuildsAreInterruptedOneRunPerDerivation) {
  checkTimeouts(*this, 1);
}

TEST_F(SchedulerTest, SilenceAndOverlongBuildsAreInterruptedInABatch) {
  checkTimeouts(*this, 8);
}

TEST_F(SchedulerTest, RefusesToBuildWithoutTheSandboxUnlessTheOperatorAllowsIt) {
  config.nix.options.emplace_back("sandbox", "false");
  Scheduler refused(services(), config, system);
  auto started = refused.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().code(), sdk::ErrorCode::BuildUnsandboxed);
  EXPECT_NE(started.error().message().find("allow_unsandboxed_builds"), std::string::npos);

  config.allowUnsandboxedBuilds = true;
  Scheduler allowed(services(), config, system);
  ASSERT_TRUE(allowed.start());
  EXPECT_TRUE(logger.contains("NOT SANDBOXED"));
}

// An attacker's fixed-output derivation (which keeps network access) asks Nix for a server
// secret through impureEnvVars: Nix passes listed variables from its own environment.
TEST_F(SchedulerTest, AFixedOutputBuilderSeesNoServerSecret) {
  const std::string secret = "hunter2-" + tag;
  ::setenv("EKACI_TEST_SERVER_SECRET", secret.c_str(), 1);
  auto drvs = instantiate(R"(
    leak = mk { name = "leak"; extra = {
      impureEnvVars = [ "EKACI_TEST_SERVER_SECRET" "HOME" ];
      args = [ "-c" "echo secret=[$EKACI_TEST_SERVER_SECRET]; printf fixed > $out" ];
      outputHashMode = "flat"; outputHashAlgo = "sha256"; outputHash = builtins.hashString "sha256" "fixed"; }; };
  )",
                          {"leak"});
  auto scheduler = make();
  const auto jobset = newJobset("impure-env");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["leak"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  ::unsetenv("EKACI_TEST_SERVER_SECRET");
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  auto log = scheduler->logs().read(*nix::BuildLogStore::drvHash(drvs["leak"]));
  ASSERT_TRUE(log);
  EXPECT_NE(log->find("secret=[]"), std::string::npos) << *log;
  EXPECT_EQ(log->find(secret), std::string::npos) << *log;
}

// A pull request's builder tries to read the host, write into eka-ci's state directory and
// reach a service on the host; Nix's sandbox (set up by scripts/setup) stops all three.
TEST_F(SchedulerTest, ABuilderCannotReadTheHostWriteTheStateOrReachTheNetwork) {
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 16), 0);
  socklen_t length = sizeof address;
  ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string port = std::to_string(ntohs(address.sin_port));
  const std::string state = dir.path().string();
  auto drvs = instantiate(R"(
    attack = mk { name = "attack"; script = "
      cat /etc/shadow > /dev/null 2>&1 && echo READ-SHADOW || echo shadow-unreadable
      ls /root > /dev/null 2>&1 && echo READ-ROOT || echo root-unreadable
      ls )" + state + R"( > /dev/null 2>&1 && echo SAW-STATE || echo state-invisible
      echo pwned > )" + state +
                              R"(/pwned 2> /dev/null || echo state-unwritable
      wget -q -T 3 -O /dev/null http://127.0.0.1:)" +
                              port + R"(/ 2> /dev/null; echo network-tried"; };
  )",
                          {"attack"});
  auto scheduler = make();
  const auto jobset = newJobset("sandbox");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["attack"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  auto log = scheduler->logs().read(*nix::BuildLogStore::drvHash(drvs["attack"]));
  ASSERT_TRUE(log);
  for (const char* confined :
       {"shadow-unreadable", "root-unreadable", "state-invisible", "state-unwritable", "network-tried"}) {
    EXPECT_NE(log->find(confined), std::string::npos) << confined << "\n" << *log;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "pwned"));
  const int accepted = ::accept(listener, nullptr, nullptr);
  EXPECT_LT(accepted, 0) << "the builder reached 127.0.0.1:" << port;
  if (accepted >= 0) ::close(accepted);
  ::close(listener);
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
}

// A builder that starts a detached grandchild (setsid) and then overruns its time: after the
// timeout nothing it started is left running.
TEST_F(SchedulerTest, NothingABuilderStartedSurvivesItsTimeout) {
  config.nix.maxDuration = 3s;
  const std::string marker = "ekaci-orphan-" + tag;
  auto drvs = instantiate(R"(
    orphan = mk { name = "orphan"; script = "setsid sh -c 'sleep 600; echo )" +
                              marker + R"(' & sleep 600"; };
  )",
                          {"orphan"});
  auto scheduler = make();
  const auto jobset = newJobset("orphan");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["orphan"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(stateOf(drvs["orphan"]), "interrupted(timeout)");
  bool survivor = true;
  for (int i = 0; i < 50 && survivor; ++i) {
    survivor = false;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
      try {  // a process that ends while it is read makes libstdc++ throw (ESRCH): it is gone
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline(std::istreambuf_iterator<char>(in), {});
        if (cmdline.find(marker) != std::string::npos) survivor = true;
      } catch (const std::exception&) {
      }
    }
    if (survivor) std::this_thread::sleep_for(100ms);
  }
  EXPECT_FALSE(survivor) << "a process of the timed-out build is still running";
}

TEST_F(SchedulerTest, NoBuilderForTheFeaturesIsUnsatisfiableWithAReason) {
  auto drvs = instantiate(R"(
    vm = mk { name = "vm"; features = [ "nixos-test-gpu" ]; };
    user = mk { name = "user"; deps = [ vm ]; };
  )",
                          {"vm", "user"});
  auto scheduler = make();
  const auto jobset = newJobset("unsatisfiable");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["user"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 30s));
  EXPECT_EQ(stateOf(drvs["vm"]), "interrupted(unsatisfiable)");
  EXPECT_NE(storage->drvStatus(drvs["vm"]).value()->detail.find("nixos-test-gpu"), std::string::npos);
  EXPECT_EQ(stateOf(drvs["user"]), "blocked");
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Failed);
}

TEST_F(SchedulerTest, ValidOutputsAreCachedAndFailuresAreRememberedUntilTheyExpire) {
  auto drvs = instantiate(R"(
    ok = mk { name = "ok"; };
    bad = mk { name = "bad"; script = "exit 3"; };
  )",
                          {"ok", "bad"});
  {
    auto scheduler = make();
    const auto first = newJobset("first");
    ASSERT_TRUE(scheduler->submit(request(first, {drvs["ok"], drvs["bad"]})));
    ASSERT_TRUE(scheduler->waitForJobset(first, 60s));
  }
  const auto okEvents = statesSeen(drvs["ok"]).size();
  const auto badEvents = statesSeen(drvs["bad"]).size();
  {
    auto scheduler = make();
    const auto second = newJobset("second");
    ASSERT_TRUE(scheduler->submit(request(second, {drvs["ok"], drvs["bad"]})));
    ASSERT_TRUE(scheduler->waitForJobset(second, 30s));
    EXPECT_EQ(conclusion(second), storage::BuildJobsetState::Failed);
  }
  EXPECT_EQ(statesSeen(drvs["ok"]).size(), okEvents);    // valid outputs: not touched
  EXPECT_EQ(statesSeen(drvs["bad"]).size(), badEvents);  // cached failure: not rebuilt
  // Once the failure expires it is built again (twice: the retry).
  ASSERT_TRUE(storage->setFailureExpiry(storage->drvStatus(drvs["bad"]).value()->drvId, 1));
  {
    auto scheduler = make();
    const auto third = newJobset("third");
    ASSERT_TRUE(scheduler->submit(request(third, {drvs["bad"]})));
    ASSERT_TRUE(scheduler->waitForJobset(third, 60s));
  }
  EXPECT_EQ(count(statesSeen(drvs["bad"]), "building"), 4u);
  // A derivation nobody built through eka-ci but whose outputs exist is Cached.
  auto fresh = instantiate("pre = mk { name = \"pre\"; };", {"pre"});
  realiseOutside(fresh["pre"]);
  auto scheduler = make();
  const auto fourth = newJobset("fourth");
  ASSERT_TRUE(scheduler->submit(request(fourth, {fresh["pre"]})));
  ASSERT_TRUE(scheduler->waitForJobset(fourth, 30s));
  EXPECT_EQ(statesSeen(fresh["pre"]), (std::vector<std::string>{"cached"}));
  EXPECT_EQ(conclusion(fourth), storage::BuildJobsetState::Succeeded);
}

TEST_F(SchedulerTest, ARebuildRequestForgetsCachedFailuresInTheClosure) {
  const auto fixed = sharedWithBuilders() + "/fixed";
  auto drvs = instantiate("dep = mk { name = \"dep\"; script = \"[ -e " + fixed +
                              " ] || exit 2\"; };\n"
                              "top = mk { name = \"top\"; deps = [ dep ]; };\n"
                              "other = mk { name = \"other\"; script = \"exit 4\"; };",
                          {"dep", "top", "other"});
  {
    auto scheduler = make();
    const auto first = newJobset("first");
    ASSERT_TRUE(scheduler->submit(request(first, {drvs["top"], drvs["other"]})));
    ASSERT_TRUE(scheduler->waitForJobset(first, 60s));
  }
  ASSERT_EQ(stateOf(drvs["dep"]), "failure");
  ASSERT_EQ(stateOf(drvs["top"]), "transitive_failure");
  ASSERT_GT(storage->drvStatus(drvs["dep"]).value()->failureExpiresAt, 0);
  std::ofstream(fixed) << "the cause of the failure is gone\n";
  {
    auto scheduler = make();
    // A plain submission answers from the failure cache: nothing is built.
    const auto plain = newJobset("plain");
    ASSERT_TRUE(scheduler->submit(request(plain, {drvs["top"]})));
    ASSERT_TRUE(scheduler->waitForJobset(plain, 30s));
    EXPECT_EQ(conclusion(plain), storage::BuildJobsetState::Failed);
    EXPECT_EQ(count(statesSeen(drvs["dep"]), "building"), 2u);
    // Asked to rebuild, the failed dependency is built again, and so is what it blocked.
    const auto rebuild = newJobset("rebuild");
    ASSERT_TRUE(scheduler->submit(forgetting(request(rebuild, {drvs["top"]}))));
    ASSERT_TRUE(scheduler->waitForJobset(rebuild, 60s));
    EXPECT_EQ(conclusion(rebuild), storage::BuildJobsetState::Succeeded);
    EXPECT_EQ(count(statesSeen(drvs["dep"]), "building"), 3u);
    EXPECT_EQ(stateOf(drvs["top"]), "success");
    EXPECT_EQ(storage->drvStatus(drvs["dep"]).value()->failureExpiresAt, 0);
  }
  // A scheduler that never held the derivation in memory forgets too; a real failure fails again.
  auto scheduler = make();
  const auto again = newJobset("again");
  ASSERT_TRUE(scheduler->submit(forgetting(request(again, {drvs["other"]}))));
  ASSERT_TRUE(scheduler->waitForJobset(again, 60s));
  EXPECT_EQ(conclusion(again), storage::BuildJobsetState::Failed);
  EXPECT_EQ(count(statesSeen(drvs["other"]), "building"), 4u) << "built twice more: the attempt and its retry";
  EXPECT_GT(storage->drvStatus(drvs["other"]).value()->failureExpiresAt, 0) << "cached again";
}

TEST_F(SchedulerTest, PastItsCapacityTheGraphDropsFinishedWorkAndReloadsItFromTheDatabase) {
  config.graphCapacity = 2;
  const auto go = sharedWithBuilders() + "/go";
  auto drvs = instantiate("hold = mk { name = \"hold\"; script = \"while [ ! -e " + go +
                              " ]; do sleep 0.1; done\"; };\n"
                              "bad = mk { name = \"bad\"; script = \"exit 3\"; };\n"
                              "ok = mk { name = \"ok\"; };\n"
                              "top = mk { name = \"top\"; deps = [ bad ]; };",
                          {"hold", "bad", "ok", "top"});
  auto scheduler = make();
  // An open jobset keeps the graph from being dropped whole.
  const auto holding = newJobset("holding");
  ASSERT_TRUE(scheduler->submit(request(holding, {drvs["hold"]})));
  waitForState(drvs["hold"], "building");
  const auto first = newJobset("first");
  ASSERT_TRUE(scheduler->submit(request(first, {drvs["bad"], drvs["ok"]})));
  ASSERT_TRUE(scheduler->waitForJobset(first, 60s));
  ASSERT_EQ(count(statesSeen(drvs["bad"]), "building"), 2u);
  // Three nodes, capacity two: the failure leaves (tier 2 before tier 3); the build stays.
  for (int i = 0; i < 100 && scheduler->derivation(drvs["bad"]); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(scheduler->derivation(drvs["bad"]));
  EXPECT_TRUE(scheduler->derivation(drvs["ok"]));
  EXPECT_TRUE(scheduler->derivation(drvs["hold"]));
  EXPECT_EQ(scheduler->graphSize(), 2u);
  EXPECT_EQ(metrics.value("graph_evictions_total", {{"tier", "tier2_completed_failure"}}), 1.0);
  const double reloadsBefore = metrics.value("graph_cache_reloads_total").value_or(0);

  // A jobset that needs it again: it comes back from the database as the cached failure it
  // is (not built again), and what depends on it fails transitively.
  const auto second = newJobset("second");
  ASSERT_TRUE(scheduler->submit(request(second, {drvs["top"]})));
  ASSERT_TRUE(scheduler->waitForJobset(second, 30s));
  EXPECT_EQ(conclusion(second), storage::BuildJobsetState::Failed);
  EXPECT_EQ(count(statesSeen(drvs["bad"]), "building"), 2u);
  EXPECT_EQ(stateOf(drvs["top"]), "transitive_failure");
  EXPECT_GE(metrics.value("graph_cache_reloads_total").value_or(0), reloadsBefore + 1);
  EXPECT_FALSE(metrics.observations("graph_cache_reload_duration_seconds").empty());

  std::ofstream(go) << "go\n";
  ASSERT_TRUE(scheduler->waitForJobset(holding, 60s));
  EXPECT_EQ(conclusion(holding), storage::BuildJobsetState::Succeeded);
}

TEST_F(SchedulerTest, ANewPushCancelsSupersededBuildsThatNothingElseNeeds) {
  config.localMaxJobs = 3;
  config.batchSize = 1;  // one nix-store per derivation: cancelling one leaves the others running
  auto scheduler = make();
  const auto started = std::chrono::steady_clock::now();
  auto run = supersede(*scheduler, "pr#7", "2");
  EXPECT_EQ(conclusion(run.first), storage::BuildJobsetState::Cancelled);
  EXPECT_EQ(conclusion(run.second), storage::BuildJobsetState::Succeeded);
  waitForState(run.drvs["slowOld"], "building", false);
  EXPECT_EQ(stateOf(run.drvs["slowOld"]), "interrupted(cancelled)");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
  EXPECT_EQ(stateOf(run.drvs["shared"]), "success");  // the new push needed it: it kept building
  EXPECT_EQ(count(statesSeen(run.drvs["shared"]), "building"), 1u);
  EXPECT_NE(stateOf(run.drvs["oldTop"]), "success");
}

TEST_F(SchedulerTest, CancellingPartOfABatchRequeuesWhatIsStillWanted) {
  config.localMaxJobs = 1;  // shared and slow-old run in one nix-store
  auto scheduler = make();
  auto run = supersede(*scheduler, "pr#8", "1");
  EXPECT_EQ(conclusion(run.second), storage::BuildJobsetState::Succeeded);
  EXPECT_EQ(stateOf(run.drvs["slowOld"]), "interrupted(cancelled)");
  const auto shared = statesSeen(run.drvs["shared"]);
  EXPECT_EQ(shared.back(), "success");
  // Stopped with its batch, then built again because the new push wants it.
  EXPECT_EQ(count(shared, "interrupted(cancelled)"), count(shared, "building") - 1);
}

TEST_F(SchedulerTest, ADerivationCancelledEarlierIsCachedOnceItsOutputsExist) {
  auto drvs = instantiate(R"(
    keeper = mk { name = "keeper"; script = "sleep 4"; };
    gate = mk { name = "gate"; script = "sleep 1"; };
    x = mk { name = "x"; deps = [ gate ]; };
  )",
                          {"keeper", "gate", "x"});
  auto scheduler = make();
  const auto keep = newJobset("keeper");  // stays open: the graph is kept
  ASSERT_TRUE(scheduler->submit(request(keep, {drvs["keeper"]})));
  const auto first = newJobset("first");
  ASSERT_TRUE(scheduler->submit(request(first, {drvs["x"]})));
  ASSERT_TRUE(scheduler->cancel(first, "test"));
  for (int i = 0; i < 100 && stateOf(drvs["gate"]) == "building"; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(stateOf(drvs["x"]), "interrupted(cancelled)");
  realiseOutside(drvs["x"]);  // built outside eka-ci meanwhile
  const auto second = newJobset("second");
  ASSERT_TRUE(scheduler->submit(request(second, {drvs["x"]})));
  ASSERT_TRUE(scheduler->waitForJobset(second, 30s));
  EXPECT_EQ(conclusion(second), storage::BuildJobsetState::Succeeded);
  EXPECT_EQ(stateOf(drvs["x"]), "cached");
  ASSERT_TRUE(scheduler->waitForJobset(keep, 30s));
}

TEST_F(SchedulerTest, SmallerJobsetsGoFirst) {
  config.localMaxJobs = 1;
  auto drvs = instantiate(R"(
    gate = mk { name = "gate"; script = "sleep 1"; };
    big1 = mk { name = "big1"; deps = [ gate ]; };
    big2 = mk { name = "big2"; deps = [ gate ]; };
    big3 = mk { name = "big3"; deps = [ gate ]; };
    small = mk { name = "small"; };
  )",
                          {"gate", "big1", "big2", "big3", "small"});
  auto scheduler = make();
  const auto big = newJobset("big");
  ASSERT_TRUE(scheduler->submit(request(big, {drvs["gate"], drvs["big1"], drvs["big2"], drvs["big3"]}, 500)));
  for (int i = 0; i < 100 && stateOf(drvs["gate"]) != "building"; ++i) std::this_thread::sleep_for(50ms);
  const auto small = newJobset("small");
  ASSERT_TRUE(scheduler->submit(request(small, {drvs["small"]}, 1)));
  ASSERT_TRUE(scheduler->waitForJobset(big, 60s));
  ASSERT_TRUE(scheduler->waitForJobset(small, 60s));
  const auto buildingId = [&](const std::string& d) {
    for (const auto& e : eventsOf(d)) {
      if (e.state == "building") return e.id;
    }
    return std::int64_t{-1};
  };
  // With one slot, the one-rebuild jobset's derivation runs right after the gate, before
  // any of the 500-rebuild jobset's others.
  for (const auto& name : {"big1", "big2", "big3"})
    EXPECT_LT(buildingId(drvs["small"]), buildingId(drvs[name])) << name;
}

TEST_F(SchedulerTest, AShutdownRequeuesRunningBuildsAndTheNextStartFinishesThem) {
  auto drvs = instantiate(R"(
    long = mk { name = "long"; script = "echo working; sleep 3"; };
    top = mk { name = "top"; deps = [ long ]; };
  )",
                          {"long", "top"});
  const auto jobset = newJobset("restart");
  {
    auto scheduler = make();
    ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["top"]})));
    for (int i = 0; i < 100 && stateOf(drvs["long"]) != "building"; ++i) std::this_thread::sleep_for(50ms);
    ASSERT_EQ(stateOf(drvs["long"]), "building");
    scheduler->shutdown(0ms);
    EXPECT_EQ(stateOf(drvs["long"]), "queued");
    EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Building);
  }
  auto scheduler = make();
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  EXPECT_EQ(count(statesSeen(drvs["long"]), "success"), 1u);
  EXPECT_EQ(count(statesSeen(drvs["top"]), "success"), 1u);
}

TEST_F(SchedulerTest, ACrashWhileBuildingIsRecoveredFromTheDatabase) {
  auto drvs = instantiate("one = mk { name = \"one\"; };", {"one"});
  const auto jobset = newJobset("crash");
  leftBuildingByACrash(jobset, drvs["one"]);
  auto scheduler = make();
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  const auto states = statesSeen(drvs["one"]);
  EXPECT_EQ(states, (std::vector<std::string>{"building", "queued", "buildable", "building", "success"}));
  auto events = eventsOf(drvs["one"]);
  EXPECT_NE(events[1].detail.find("server stopped"), std::string::npos) << events[1].detail;
  EXPECT_EQ(events.back().attempt, 2);
}

// The server died while two derivations were building, and no open jobset wants them now. The
// build of one finished anyway (its outputs are valid): after the restart it is a success;
// the other is an interruption.
TEST_F(SchedulerTest, AfterACrashEachDerivationEndsInTheStateItsOutputsProve) {
  auto drvs =
      instantiate("finished = mk { name = \"finished\"; };\nlost = mk { name = \"lost\"; };", {"finished", "lost"});
  for (const char* name : {"finished", "lost"}) {
    storage::DrvRecord row;
    row.drvPath = drvs[name];
    row.system = system;
    const auto id = storage->upsertDrvs({row}).value().front();
    ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, "building", "building on local", 1}));
  }
  realiseOutside(drvs["finished"]);
  auto scheduler = make();
  EXPECT_EQ(stateOf(drvs["finished"]), "success");
  EXPECT_NE(storage->drvStatus(drvs["finished"]).value()->detail.find("outputs are valid"), std::string::npos);
  EXPECT_EQ(stateOf(drvs["lost"]), "interrupted(process_death)");
}

// The server can die at any point of a build, also right after a restart queued everything
// again. The next start resumes the open jobset from whatever each derivation's last recorded
// state is, with transitions the state machine allows (queued is not queued again; a build
// whose outputs became valid is a success, never cached), and builds the rest once.
TEST_F(SchedulerTest, ResumingFromAnyRecordedStateUsesAllowedTransitions) {
  auto drvs = instantiate(
      "a = mk { name = \"a\"; };\nb = mk { name = \"b\"; };\nc = mk { name = \"c\"; };\n"
      "d = mk { name = \"d\"; };\ne = mk { name = \"e\"; };",
      {"a", "b", "c", "d", "e"});
  const auto jobset = newJobset("resume-anywhere");
  const std::vector<std::pair<std::string, std::vector<std::string>>> left = {
      {"a", {"queued"}},                           // queued by an earlier restart
      {"b", {"queued", "buildable"}},              // ready, not started
      {"c", {"queued", "buildable", "building"}},  // building; its outputs became valid
      {"d", {"queued", "buildable", "building", "failed_retry"}},
      {"e", {"queued"}},  // queued; its outputs became valid
  };
  std::vector<storage::BuildRoot> roots;
  for (const auto& [name, states] : left) {
    storage::DrvRecord row;
    row.drvPath = drvs[name];
    row.system = system;
    const auto id = storage->upsertDrvs({row}).value().front();
    roots.push_back({id, drvs[name], true});
    for (const auto& state : states) ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, state, "", 1})) << name << state;
  }
  ASSERT_TRUE(storage->submitBuildJobset({jobset, storage::BuildJobsetState::Building, 1, "", 1, 0, roots}));
  realiseOutside(drvs["c"]);
  realiseOutside(drvs["e"]);
  auto scheduler = make();
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  EXPECT_EQ(statesSeen(drvs["a"]), (std::vector<std::string>{"queued", "buildable", "building", "success"}));
  EXPECT_EQ(statesSeen(drvs["b"]),
            (std::vector<std::string>{"queued", "buildable", "queued", "buildable", "building", "success"}));
  EXPECT_EQ(statesSeen(drvs["c"]), (std::vector<std::string>{"queued", "buildable", "building", "success"}));
  EXPECT_EQ(statesSeen(drvs["d"]), (std::vector<std::string>{"queued", "buildable", "building", "failed_retry",
                                                             "queued", "buildable", "building", "success"}));
  EXPECT_EQ(statesSeen(drvs["e"]), (std::vector<std::string>{"queued", "cached"}));
}

// Whoever writes it, the database refuses a transition the state machine forbids (two
// builders on one database once wrote failure -> failed_retry).
TEST_F(SchedulerTest, TheDatabaseRefusesTransitionsTheStateMachineForbids) {
  auto scheduler = make();
  storage::DrvRecord row;
  row.drvPath = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-guarded.drv";
  row.system = system;
  const auto id = storage->upsertDrvs({row}).value().front();
  ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, "queued", "", 1}));
  ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, "buildable", "", 1}));
  ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, "building", "", 1}));
  ASSERT_TRUE(storage->recordBuildEvent({0, id, 1, "failure", "exit code 1", 1}));
  auto refused = storage->recordBuildEvent({0, id, 1, "failed_retry", "a second builder", 1});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::StorageConstraint);
  EXPECT_NE(refused.error().message().find("failure -> failed_retry"), std::string::npos) << refused.error().message();
  EXPECT_FALSE(storage->recordBuildEvent({0, id, 1, "no-such-state", "", 1}));
  EXPECT_EQ(stateOf(row.drvPath), "failure") << "nothing of the refused event was written";
  EXPECT_EQ(eventsOf(row.drvPath).size(), 4u);
}

TEST_F(SchedulerTest, AOneOffSchedulerLeavesOtherJobsetsAlone) {
  auto drvs = instantiate("one = mk { name = \"one\"; };", {"one"});
  const auto jobset = newJobset("servers");
  leftBuildingByACrash(jobset, drvs["one"]);
  config.resumeOpenJobsets = false;  // as `ekaci review --build` runs it
  auto scheduler = make();
  EXPECT_FALSE(scheduler->waitForJobset(jobset, 1s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Building);
  EXPECT_EQ(statesSeen(drvs["one"]), (std::vector<std::string>{"building"}));
}

TEST_F(SchedulerTest, RemoteBuildersAreRoutedToAndHealthChecked) {
  // A second Nix store on this machine stands in for a remote builder: Nix copies the
  // inputs there, builds, and copies the outputs back, as with ssh-ng://.
  const auto remoteRoot = dir.path() / "remote-store";
  std::filesystem::create_directories(remoteRoot);
  const auto shellDir = dir.path() / "busybox";
  std::filesystem::create_directories(shellDir);
  std::filesystem::copy_file("/bin/busybox", shellDir / "sh");
  nix::BuilderSpec remote;
  remote.name = remote.uri = "local?root=" + remoteRoot.string();
  remote.kind = nix::BuilderKind::Remote;
  remote.systems = {system};
  remote.mandatoryFeatures = {"remote-only"};
  nix::BuilderSpec down = remote;
  down.name = down.uri = "ssh://eka-ci-builder.invalid";
  down.mandatoryFeatures = {"down-only"};
  config.remoteBuilders = {remote, down};
  auto drvs = instantiate("far = mk { name = \"far\"; features = [ \"remote-only\" ]; extra = { builder = \"${" +
                              shellDir.string() +
                              "}/sh\"; PATH = \"\"; }; };\n"
                              "waits = mk { name = \"waits\"; features = [ \"down-only\" ]; };",
                          {"far", "waits"});
  auto scheduler = make();
  EXPECT_TRUE(scheduler->builders().healthy(2));
  EXPECT_FALSE(scheduler->builders().healthy(3));
  EXPECT_EQ(metrics.value("builder_healthy", {{"builder", "ssh://eka-ci-builder.invalid"}}), 0.0);
  const auto jobset = newJobset("remote");
  ASSERT_TRUE(scheduler->submit(request(jobset, {drvs["far"]})));
  ASSERT_TRUE(scheduler->waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  auto events = eventsOf(drvs["far"]);
  EXPECT_EQ(events[2].detail, "building on " + remote.uri);
  // Built there, copied back here.
  bool builtRemotely = false;
  for (const auto& entry : std::filesystem::directory_iterator(remoteRoot / "nix" / "store")) {
    if (entry.path().filename().string().find("far-" + nonce) != std::string::npos &&
        entry.path().extension() != ".drv" && entry.path().extension() != ".lock") {
      builtRemotely = true;
    }
  }
  EXPECT_TRUE(builtRemotely);
  // A derivation only the unreachable builder could take waits (it is not unsatisfiable).
  const auto waiting = newJobset("waiting");
  ASSERT_TRUE(scheduler->submit(request(waiting, {drvs["waits"]})));
  EXPECT_FALSE(scheduler->waitForJobset(waiting, 2s));
  EXPECT_EQ(stateOf(drvs["waits"]), "buildable");
  EXPECT_EQ(metrics.value("builds_waiting_for_builder", {{"system", system}, {"queue", "build"}}), 1.0);
  ASSERT_TRUE(scheduler->cancel(waiting, "test over"));
  EXPECT_EQ(stateOf(drvs["waits"]), "interrupted(cancelled)");
}

}  // namespace
}  // namespace ekaci::scheduler

namespace ekaci::scheduler {
namespace {

// Builds nothing: tells the success of `early` from inside a batch at once, then keeps the
// batch running until `dependent` (which needs `early`) has started elsewhere, or 20 s.
class StagedExecutor : public nix::BuildExecutor {
 public:
  std::vector<nix::BuildOutcome> run(const std::vector<BatchItem>& items, const nix::BuilderSpec&,
                                     const std::atomic<bool>&, const OnBuilt& built) const override {
    nix::BuildOutcome ok;
    ok.kind = nix::BuildOutcome::Kind::Success;
    ok.detail = "built";
    std::unique_lock lock(mutex_);
    for (const auto& item : items) started_.push_back(item.drvPath);
    wake_.notify_all();
    if (items.size() > 1) {
      batches_++;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].drvPath != early) continue;
        lock.unlock();
        built(i, ok);
        lock.lock();
      }
      overlapped_ = wake_.wait_for(lock, std::chrono::seconds(20), [&] {
        return std::find(started_.begin(), started_.end(), dependent) != started_.end();
      });
    }
    return std::vector<nix::BuildOutcome>(items.size(), ok);
  }
  bool ping(const nix::BuilderSpec&) const override { return true; }

  bool overlapped() const {
    std::lock_guard lock(mutex_);
    return overlapped_;
  }
  int batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }

  std::string early, dependent;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable wake_;
  mutable std::vector<std::string> started_;
  mutable bool overlapped_ = false;
  mutable int batches_ = 0;
};

TEST_F(SchedulerTest, ASuccessToldDuringABatchStartsItsDependentsBeforeTheBatchEnds) {
  auto drvs = instantiate(R"(
    a = mk { name = "a"; };
    b = mk { name = "b"; };
    c = mk { name = "c"; deps = [ a ]; };
    all = mk { name = "all"; deps = [ b c ]; };
  )",
                          {"a", "b", "c", "all"});
  config.batchSize = 8;
  StagedExecutor executor;
  executor.early = drvs["a"];
  executor.dependent = drvs["c"];
  Scheduler scheduler(services(), config, system, &executor);
  ASSERT_TRUE(scheduler.start());
  const auto jobset = newJobset("staged");
  ASSERT_TRUE(scheduler.submit(request(jobset, {drvs["all"]})));
  ASSERT_TRUE(scheduler.waitForJobset(jobset, 60s));
  EXPECT_EQ(conclusion(jobset), storage::BuildJobsetState::Succeeded);
  ASSERT_GE(executor.batches(), 1) << "a and b were buildable together: one batch";
  EXPECT_TRUE(executor.overlapped()) << "c started while the batch that built a still ran";
  for (const auto& name : {"a", "b", "c", "all"}) {
    EXPECT_EQ(statesSeen(drvs[name]), (std::vector<std::string>{"queued", "buildable", "building", "success"})) << name;
  }
}

}  // namespace
}  // namespace ekaci::scheduler
