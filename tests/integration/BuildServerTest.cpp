// eka-ci-server building real derivations: killed with SIGKILL mid-build and restarted,
// stopped with SIGTERM during a build, and its builds, jobsets and logs read over HTTP
// and with the CLI.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <thread>

#include "kernel/storage/SqliteStorage.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::integration {
namespace {

using namespace std::chrono_literals;
using testsupport::ServerProcess;

class BuildServerTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> environment() const { return testsupport::isolatedEnvironment(dir_.path()); }

  // A directory builders can read despite the sandbox (extra-sandbox-paths in the server's
  // nix_options): the side channel of tests whose builders depend on the outside.
  std::filesystem::path shared() const {
    auto path = dir_.path() / "shared-with-builders";
    std::filesystem::create_directories(path);
    std::filesystem::permissions(path, std::filesystem::perms::all);
    return path;
  }

  std::unique_ptr<ServerProcess> server(int graceSeconds = 30) {
    auto file = dir_.write("ekaci.toml",
                           "[web]\nport = 0\n[builders]\nmax_jobs = 2\nnix_options = [\"substituters=\", "
                           "\"extra-sandbox-paths=" +
                               shared().string() +
                               "\"]\n"
                               "shutdown_grace_seconds = " +
                               std::to_string(graceSeconds) + "\n",
                           0644);
    return std::make_unique<ServerProcess>(
        ServerProcess::Options{EKACI_SERVER_BINARY, {"--config", file.string()}, environment(), dir_.path()});
  }

  testsupport::CommandResult cli(std::vector<std::string> args, std::chrono::milliseconds timeout = 60s) {
    args.insert(args.begin(), EKACI_CLI_BINARY);
    return testsupport::runCommand(args, environment(), timeout);
  }

  // `count` derivations in layers of four; each one waits `seconds` and depends on the
  // whole previous layer. Returns their paths.
  std::vector<std::string> graph(int count, const std::string& seconds) {
    std::random_device random;
    const std::string nonce = std::to_string(random());
    std::ostringstream nix;
    nix << "let mk = i: deps: derivation { name = \"layer-\" + toString i + \"-" << nonce
        << "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; PATH = \"/usr/bin:/bin\"; inherit deps;"
        << " args = [ \"-c\" \"echo building ${toString i}; sleep " << seconds << "; echo done > $out\" ]; };\n"
        << "in rec {\n";
    for (int i = 0; i < count; ++i) {
      nix << "  d" << i << " = mk " << i << " [";
      const int layer = i / 4;
      if (layer > 0) {
        for (int j = (layer - 1) * 4; j < layer * 4; ++j) nix << " d" << j;
      }
      nix << " ];\n";
    }
    nix << "}\n";
    auto file = dir_.write("graph.nix", nix.str(), 0644);
    std::vector<std::string> drvs;
    for (int i = 0; i < count; ++i) {
      auto result =
          testsupport::runCommand({"nix-instantiate", file.string(), "-A", "d" + std::to_string(i)}, environment());
      EXPECT_EQ(result.status, 0) << result.err;
      std::string path = result.out;
      while (!path.empty() && path.back() == '\n') path.pop_back();
      drvs.push_back(path);
    }
    return drvs;
  }

  std::int64_t submit(const std::vector<std::string>& drvs) {
    std::vector<std::string> args = {"build"};
    args.insert(args.end(), drvs.begin(), drvs.end());
    auto submitted = cli(args);
    EXPECT_EQ(submitted.status, 0) << submitted.err;
    const auto at = submitted.out.find("jobset ");
    return at == std::string::npos ? -1 : std::stoll(submitted.out.substr(at + 7));
  }

  std::unique_ptr<storage::SqliteStorage> database() {
    return std::move(storage::SqliteStorage::open(dir_.path() / "data" / "ekaci" / "sqlite.db")).value();
  }

  std::size_t successes(const std::string& body) {
    std::size_t n = 0;
    for (auto at = body.find(R"("state":"success")"); at != std::string::npos;
         at = body.find(R"("state":"success")", at + 1))
      ++n;
    return n;
  }

  // Checks that every derivation has exactly one success and was not built again after it.
  void expectEachSucceededOnce(const std::vector<std::string>& drvs) {
    auto db = database();
    for (const auto& d : drvs) {
      const auto status = db->drvStatus(d).value();
      ASSERT_TRUE(status) << d;
      const auto events = db->buildEvents(status->drvId).value();
      std::size_t success = 0, buildingAfterSuccess = 0;
      for (const auto& e : events) {
        if (e.state == "success") ++success;
        if (e.state == "building" && success > 0) ++buildingAfterSuccess;
      }
      EXPECT_EQ(success, 1u) << d;
      EXPECT_EQ(buildingAfterSuccess, 0u) << d;
    }
  }

  testsupport::TempDir dir_;
};

// Processes whose command line contains `marker`, with their start times.
std::map<pid_t, std::string> processesMentioning(const std::string& marker) {
  std::map<pid_t, std::string> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    // A process may end while it is read: libstdc++ then throws (ESRCH); it is simply gone.
    std::string cmdline, text;
    try {
      std::ifstream in(entry.path() / "cmdline");
      cmdline.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (cmdline.find(marker) == std::string::npos) continue;
      std::ifstream stat(entry.path() / "stat");
      std::getline(stat, text);
    } catch (const std::exception&) {
      continue;
    }
    const auto close = text.rfind(')');
    if (close == std::string::npos || text.substr(close + 2, 1) == "Z") continue;
    found[static_cast<pid_t>(std::stol(name))] = text.substr(close + 2);
  }
  return found;
}

TEST_F(BuildServerTest, SigkillMidBuildLosesNothingAndCountsNothingTwice) {
  const auto drvs = graph(16, "0.4");
  const auto jobset = [&] {
    auto s = server();
    EXPECT_TRUE(s->start()) << s->stderrText();
    const auto id = submit(drvs);
    // Kill it hard once some, not all, derivations are built.
    for (int i = 0; i < 300; ++i) {
      auto state = testsupport::httpRequest(s->httpPort(), "GET", "/v1/jobsets/" + std::to_string(id));
      if (successes(state.body) >= 4) break;
      std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(s->stop(SIGKILL), SIGKILL + 128);
    return id;
  }();
  ASSERT_GT(jobset, 0);
  {
    auto db = database();
    auto open = db->openBuildJobsets().value();
    ASSERT_EQ(open.size(), 1u) << "the jobset is still open after the kill";
    std::size_t done = 0;
    for (const auto& d : drvs) done += db->drvStatus(d).value().value().state == "success";
    EXPECT_GE(done, 4u);
    EXPECT_LT(done, drvs.size()) << "the kill came too late to test anything";
  }
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto waited = cli({"jobset", std::to_string(jobset), "--wait"}, 120s);
  EXPECT_EQ(waited.status, 0) << waited.out << waited.err;
  EXPECT_NE(waited.out.find("jobset " + std::to_string(jobset) + ": succeeded"), std::string::npos) << waited.out;
  expectEachSucceededOnce(drvs);
  // Builds, logs and metrics over HTTP and the CLI.
  const std::string name = drvs.back().substr(std::string("/nix/store/").size());
  auto drv = testsupport::httpRequest(s->httpPort(), "GET", "/v1/builds/" + name);
  EXPECT_EQ(drv.status, 200);
  EXPECT_NE(drv.body.find(R"("state":"success")"), std::string::npos) << drv.body;
  auto log = testsupport::httpRequest(s->httpPort(), "GET", "/logs/" + name.substr(0, 32));
  EXPECT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("building 15"), std::string::npos) << log.body;
  auto cliLog = cli({"logs", drvs.back()});
  EXPECT_NE(cliLog.out.find("building 15"), std::string::npos) << cliLog.out << cliLog.err;
  auto history = cli({"derivation", name});
  EXPECT_NE(history.out.find("success"), std::string::npos) << history.out << history.err;
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "GET", "/v1/builds/..%2Fetc%2Fpasswd").status, 400);
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "GET", "/logs/not-a-hash").status, 400);
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "GET", "/v1/jobsets/999999").status, 404);
  auto metrics = testsupport::httpRequest(s->httpPort(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("eka_ci_build_outcomes_total{result=\"success\"}"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_jobsets_concluded_total{result=\"succeeded\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(BuildServerTest, SigtermStopsRunningBuildsAfterTheGraceAndTheNextStartFinishesThem) {
  const auto drvs = graph(1, "4");
  std::int64_t jobset = 0;
  {
    auto s = server(1);
    ASSERT_TRUE(s->start()) << s->stderrText();
    jobset = submit(drvs);
    for (int i = 0; i < 100 && cli({"builds"}).out.find("building") == std::string::npos; ++i)
      std::this_thread::sleep_for(50ms);
    const auto stopping = std::chrono::steady_clock::now();
    EXPECT_EQ(s->stop(SIGTERM), 0) << s->stderrText();
    EXPECT_LT(std::chrono::steady_clock::now() - stopping, 3500ms)
        << "the 4 s build must not delay shutdown past the grace";
  }
  {
    auto db = database();
    auto status = db->drvStatus(drvs[0]).value().value();
    EXPECT_EQ(status.state, "queued");
    EXPECT_NE(status.detail.find("server stopped"), std::string::npos) << status.detail;
  }
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto waited = cli({"jobset", std::to_string(jobset), "--wait"}, 60s);
  EXPECT_EQ(waited.status, 0) << waited.out << waited.err;
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(BuildServerTest, AFailureIsAnsweredFromTheCacheUntilARebuildIsAsked) {
  const auto fixed = (shared() / "fixed").string();
  std::random_device random;
  auto file = dir_.write("failing.nix",
                         "derivation { name = \"flaky-" + std::to_string(random()) +
                             "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; PATH = \"/usr/bin:/bin\";"
                             " args = [ \"-c\" \"[ -e " +
                             fixed + " ] || { echo missing fix; exit 5; }; echo ok > $out\" ]; }\n",
                         0644);
  auto instantiated = testsupport::runCommand({"nix-instantiate", file.string()}, environment());
  ASSERT_EQ(instantiated.status, 0) << instantiated.err;
  std::string drv = instantiated.out.substr(0, instantiated.out.find('\n'));
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto failed = cli({"build", drv, "--wait"});
  EXPECT_EQ(failed.status, 1) << failed.out << failed.err;
  std::ofstream(fixed) << "fixed\n";
  // The cause is gone, but the failure is cached: answered without building.
  auto cached = cli({"build", drv, "--wait"});
  EXPECT_EQ(cached.status, 1) << cached.out << cached.err;
  auto history = cli({"derivation", drv, "--json"});
  EXPECT_NE(history.out.find("failure_cached_until"), std::string::npos) << history.out;
  auto rebuilt = cli({"build", "--rebuild", drv, "--wait"});
  EXPECT_EQ(rebuilt.status, 0) << rebuilt.out << rebuilt.err;
  history = cli({"derivation", drv, "--json"});
  EXPECT_NE(history.out.find(R"("state":"success")"), std::string::npos) << history.out;
  EXPECT_EQ(history.out.find("failure_cached_until"), std::string::npos) << history.out;
  EXPECT_EQ(cli({"builds", "--rebuild"}).status, 2) << "--rebuild belongs to build only";
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(BuildServerTest, BadBuildRequestsAreRefusedClearly) {
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto outside = cli({"build", "/etc/passwd"});
  EXPECT_EQ(outside.status, 1);
  EXPECT_NE(outside.err.find("not a derivation"), std::string::npos) << outside.err;
  auto missing = cli({"build", "/nix/store/00000000000000000000000000000000-missing.drv"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.err.find("not in the Nix store"), std::string::npos) << missing.err;
  EXPECT_EQ(cli({"jobset", "abc"}).status, 2);
  EXPECT_EQ(cli({"logs"}).status, 2);
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

// The server dies with `kill -9` while a build runs: its nix-store and the builder under it
// keep running, orphaned. The next server kills them before it starts anything, then builds
// the derivation again, once.
TEST_F(BuildServerTest, AnOrphanedBuildDoesNotSurviveTheRestart) {
  std::random_device random;
  const std::string marker = "30.00" + std::to_string(random());  // the builder's `sleep` argument
  const auto drvs = graph(1, marker);
  std::map<pid_t, std::string> orphans;
  std::int64_t jobset = 0;
  {
    auto s = server();
    ASSERT_TRUE(s->start()) << s->stderrText();
    jobset = submit(drvs);
    for (int i = 0; i < 200 && processesMentioning(marker).empty(); ++i) std::this_thread::sleep_for(50ms);
    EXPECT_EQ(s->stop(SIGKILL), SIGKILL + 128);
    std::this_thread::sleep_for(200ms);
    orphans = processesMentioning(marker);  // the builder's shell and its sleep, at least
    for (const auto& [pid, stat] : processesMentioning(drvs[0])) orphans[pid] = stat;  // nix-store
  }
  ASSERT_GE(orphans.size(), 2u) << "the build was not running when the server was killed";
  auto s = server(1);
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto survivors = [&] {
    std::size_t alive = 0;
    auto now = processesMentioning(marker);
    for (const auto& [pid, stat] : processesMentioning(drvs[0])) now[pid] = stat;
    for (const auto& [pid, stat] : orphans) alive += now.count(pid) != 0 && now[pid] == stat;
    return alive;
  };
  // A loaded machine takes a while to end a killed process tree; waiting longer costs nothing when it is quick.
  for (int i = 0; i < 200 && survivors() > 0; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(survivors(), 0u) << "an orphan of the killed server still runs";
  EXPECT_NE(s->stderrText().find("killed a process group the previous server left running"), std::string::npos)
      << s->stderrText();
  EXPECT_EQ(s->stop(SIGTERM), 0);
  for (int i = 0; i < 100 && !processesMentioning(marker).empty(); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(processesMentioning(marker).empty()) << "a SIGTERM stops the build it restarted";
  (void)jobset;
}

// `kill -9` at 20 random points of a 50-derivation build, then one last start that lets it
// finish: every derivation ends Success exactly once, and nothing is built after its success.
TEST_F(BuildServerTest, TwentyRandomKillsDuringABuildLoseNothing) {
  const auto drvs = graph(50, "0.2");
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay(0, 1500);
  std::int64_t jobset = 0;
  for (int kill = 0; kill < 20; ++kill) {
    auto s = server();
    ASSERT_TRUE(s->start()) << s->stderrText();
    if (kill == 0) jobset = submit(drvs);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay(random)));
    ASSERT_EQ(s->stop(SIGKILL), SIGKILL + 128);
  }
  ASSERT_GT(jobset, 0);
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto waited = cli({"jobset", std::to_string(jobset), "--wait"}, 120s);
  EXPECT_EQ(waited.status, 0) << waited.out << waited.err << s->stderrText();
  EXPECT_NE(waited.out.find("jobset " + std::to_string(jobset) + ": succeeded"), std::string::npos) << waited.out;
  EXPECT_EQ(s->stop(SIGTERM), 0);
  expectEachSucceededOnce(drvs);
}

// The production shape (scripts/setup starts the nix-daemon): eka-ci-server runs as an
// unprivileged user, which cannot write the Nix store, and builds through the daemon, in the
// sandbox, as a build user.
TEST_F(BuildServerTest, AnUnprivilegedServerBuildsThroughTheDaemon) {
  ASSERT_EQ(::geteuid(), 0u) << "the test switches to the user nobody";
  auto ping = testsupport::runCommand(
      {"nix", "--extra-experimental-features", "nix-command", "store", "ping", "--store", "daemon"}, environment());
  ASSERT_EQ(ping.status, 0) << "no nix-daemon answers (scripts/setup starts one): " << ping.err;
  std::random_device random;
  auto file = dir_.write("whoami.nix",
                         "derivation { name = \"whoami-" + std::to_string(random()) +
                             "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; PATH = \"/usr/bin:/bin\";"
                             " args = [ \"-c\" \"echo builder uid $(id -u); id -u > $out\" ]; }\n",
                         0644);
  auto instantiated = testsupport::runCommand({"nix-instantiate", file.string()}, environment());
  ASSERT_EQ(instantiated.status, 0) << instantiated.err;
  const std::string drv = instantiated.out.substr(0, instantiated.out.find('\n'));
  auto config = dir_.write("ekaci.toml", "[web]\nport = 0\n[builders]\nnix_options = [\"substituters=\"]\n", 0644);
  auto owned = testsupport::runCommand({"chown", "-R", "nobody:nogroup", dir_.path().string()}, environment());
  ASSERT_EQ(owned.status, 0) << owned.err;
  ServerProcess s(ServerProcess::Options{
      "/usr/bin/setpriv",
      {"--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", EKACI_SERVER_BINARY, "--config", config.string()},
      environment(),
      dir_.path()});
  ASSERT_TRUE(s.start()) << s.stderrText();
  std::ifstream status("/proc/" + std::to_string(s.pid()) + "/status");
  std::string line, uid;
  while (std::getline(status, line)) {
    if (line.rfind("Uid:", 0) == 0) uid = line;
  }
  EXPECT_NE(uid.find("\t65534\t"), std::string::npos) << uid;
  auto built = cli({"build", drv, "--wait"});
  EXPECT_EQ(built.status, 0) << built.out << built.err << s.stderrText();
  auto log = cli({"logs", drv});
  const auto at = log.out.find("builder uid ");
  ASSERT_NE(at, std::string::npos) << log.out << log.err;
  const std::string builderUid = log.out.substr(at + 12, log.out.find('\n', at) - at - 12);
  EXPECT_EQ(builderUid, "1000") << "Nix's sandbox shows its build user as uid 1000, never root";
  // Only the daemon could have written it: the server's user cannot write the store.
  auto output = testsupport::runCommand({"nix-store", "-q", "--outputs", drv}, environment());
  auto valid = testsupport::runCommand({"nix-store", "--check-validity", output.out.substr(0, output.out.find('\n'))},
                                       environment());
  EXPECT_EQ(valid.status, 0) << valid.err;
  EXPECT_EQ(s.stop(SIGTERM), 0) << s.stderrText();
}

}  // namespace
}  // namespace ekaci::integration
