// The real eka-ci-server and ekaci binaries, started with temporary configurations and
// talked to over HTTP on 127.0.0.1 and over the Unix socket.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdlib>
#include <fstream>
#include <thread>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "kernel/config/ExitStatus.h"
#include "kernel/storage/Migrations.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::integration {
namespace {

using testsupport::ServerProcess;

class ServerBinaryTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> environment() const { return testsupport::isolatedEnvironment(dir_.path()); }

  std::unique_ptr<ServerProcess> server(const std::string& config,
                                        const std::map<std::string, std::string>& extraEnv = {}) {
    auto file = dir_.write("ekaci.toml", config, 0644);
    auto env = environment();
    for (const auto& [k, v] : extraEnv) env[k] = v;
    return std::make_unique<ServerProcess>(
        ServerProcess::Options{EKACI_SERVER_BINARY, {"--config", file.string()}, env, dir_.path()});
  }

  testsupport::CommandResult serverCommand(std::vector<std::string> args) {
    args.insert(args.begin(), EKACI_SERVER_BINARY);
    return testsupport::runCommand(args, environment());
  }

  testsupport::TempDir dir_;
};

const std::string kPortZero = "[web]\nport = 0\n";

}  // namespace

TEST_F(ServerBinaryTest, ServesHealthMetricsAndStatusOnAnEphemeralPort) {
  auto s = server(kPortZero);
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto health = testsupport::httpRequest(s->httpPort(), "GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok","version":")" EKACI_VERSION R"("})");

  auto metrics = testsupport::httpRequest(s->httpPort(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("eka_ci_build_info{version=\"" EKACI_VERSION "\"} 1"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("eka_ci_http_requests_total{code=\"200\"}"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("eka_ci_graph_cache_capacity 100000"), std::string::npos) << metrics.body;

  auto status = testsupport::httpRequest(s->httpPort(), "GET", "/v1/status");
  EXPECT_EQ(status.status, 200);
  EXPECT_NE(status.body.find("\"credential-source:file\""), std::string::npos) << status.body;
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "GET", "/v1/nope").status, 404);
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "DELETE", "/health").status, 405);
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(ServerBinaryTest, DerivationsNoJobsetWantsAreSweptAtStart) {
  std::vector<std::int64_t> ids;
  {
    // A database left by an earlier run: two derivations queued, but no open jobset wants
    // them (the server died before their jobset was recorded).
    auto storage = storage::SqliteStorage::open(dir_.path() / "data" / "ekaci" / "sqlite.db");
    ASSERT_TRUE(storage) << storage.error().describe();
    std::vector<storage::DrvRecord> drvs(2);
    for (int i = 0; i < 2; ++i) {
      drvs[i].drvPath = "/nix/store/" + std::string(32, 'q') + "-queued" + std::to_string(i) + ".drv";
      drvs[i].system = "aarch64-linux";
    }
    ids = (*storage)->upsertDrvs(drvs).value();
    for (auto id : ids) ASSERT_TRUE((*storage)->recordBuildEvent(storage::BuildEventRecord{0, id, 0, "queued", "", 1}));
  }
  auto s = server(kPortZero);
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto metrics = testsupport::httpRequest(s->httpPort(), "GET", "/metrics");
  EXPECT_EQ(metrics.body.find("eka_ci_build_queue_depth{platform=\"aarch64-linux\"} 2"), std::string::npos)
      << metrics.body;
  auto drv = testsupport::httpRequest(s->httpPort(), "GET", "/v1/builds/" + std::string(32, 'q') + "-queued0.drv");
  EXPECT_EQ(drv.status, 200) << drv.body;
  EXPECT_NE(drv.body.find(R"x("state":"interrupted(process_death)")x"), std::string::npos) << drv.body;
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(ServerBinaryTest, CliStatusTalksOverTheSocket) {
  auto s = server(kPortZero);
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto status = testsupport::runCommand({EKACI_CLI_BINARY, "status"}, environment());
  EXPECT_EQ(status.status, 0) << status.err;
  EXPECT_NE(status.out.find("eka-ci " EKACI_VERSION ", up "), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("credentials-env " EKACI_VERSION " (credential-source:env)"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("(schema v" + std::to_string(storage::Migrations::latestVersion()) + ")"),
            std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("http:      127.0.0.1:" + std::to_string(s->httpPort())), std::string::npos) << status.out;
  auto json =
      testsupport::runCommand({EKACI_CLI_BINARY, "--socket", s->socketPath(), "status", "--json"}, environment());
  EXPECT_EQ(json.status, 0);
  EXPECT_EQ(json.out.front(), '{');
  EXPECT_EQ(s->stop(SIGTERM), 0);
  auto down = testsupport::runCommand({EKACI_CLI_BINARY, "status"}, environment());
  EXPECT_EQ(down.status, 3);
  EXPECT_NE(down.err.find("is eka-ci-server running?"), std::string::npos) << down.err;
}

TEST_F(ServerBinaryTest, SigtermShutsDownCleanlyAndRestartKeepsData) {
  auto s = server(kPortZero);
  ASSERT_TRUE(s->start()) << s->stderrText();
  const std::string socket = s->socketPath();
  EXPECT_EQ(s->stop(SIGTERM), 0);
  EXPECT_FALSE(std::filesystem::exists(socket)) << "the socket file is removed on shutdown";
  EXPECT_NE(s->stderrText().find("eka-ci server stopped"), std::string::npos) << s->stderrText();
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "data" / "ekaci" / "sqlite.db"));
  auto again = server(kPortZero);
  ASSERT_TRUE(again->start()) << again->stderrText();
  EXPECT_EQ(again->stop(SIGINT), 0);
}

TEST_F(ServerBinaryTest, SecondServerOnTheSameSocketIsRefused) {
  auto first = server(kPortZero);
  ASSERT_TRUE(first->start()) << first->stderrText();
  testsupport::TempDir other;
  // Its own state directory (one owner each), the first one's socket.
  auto file = other.write("ekaci.toml",
                          kPortZero + "state_dir = \"" + (other.path() / "state").string() + "\"\nsocket_path = \"" +
                              first->socketPath() + "\"\n",
                          0644);
  auto env = environment();
  ServerProcess second(ServerProcess::Options{EKACI_SERVER_BINARY, {"--config", file.string()}, env, other.path()});
  EXPECT_FALSE(second.start());
  EXPECT_EQ(second.wait(std::chrono::seconds(10)), config::exitCode(config::ExitStatus::CouldNot));
  EXPECT_NE(second.stderrText().find("another eka-ci server is listening"), std::string::npos) << second.stderrText();
  EXPECT_EQ(testsupport::httpRequest(first->httpPort(), "GET", "/health").status, 200) << "the first one is unharmed";
}

// The database, logs and checkouts are the server's alone: private to its user, and one
// process owns the state directory (a second server, or an `ekaci review --build`, is refused
// with the owner's pid until the first one ends, however it ends).
TEST_F(ServerBinaryTest, TheStateDirectoryIsPrivateAndHasOneOwner) {
  const auto state = dir_.path() / "data" / "ekaci";
  std::filesystem::create_directories(state);
  std::filesystem::permissions(state, std::filesystem::perms::all);  // a loose one is tightened
  auto first = server(kPortZero);
  ASSERT_TRUE(first->start()) << first->stderrText();
  auto mode = [](const std::filesystem::path& path) {
    return static_cast<unsigned>(std::filesystem::status(path).permissions()) & 0777u;
  };
  EXPECT_EQ(mode(state), 0700u);
  EXPECT_EQ(mode(state / "sqlite.db") & 077u, 0u);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(state)) {
    if (entry.is_symlink() || entry.is_socket()) continue;
    EXPECT_EQ(mode(entry.path()) & 077u, 0u) << entry.path() << " is readable by others";
  }

  auto second = server(kPortZero);
  EXPECT_FALSE(second->start());
  EXPECT_EQ(second->wait(std::chrono::seconds(10)), config::exitCode(config::ExitStatus::CouldNot));
  EXPECT_NE(second->stderrText().find("is in use by eka-ci-server (pid"), std::string::npos) << second->stderrText();
  EXPECT_NE(second->stderrText().find("E1009"), std::string::npos) << second->stderrText();
  EXPECT_EQ(testsupport::httpRequest(first->httpPort(), "GET", "/health").status, 200) << "the first one is unharmed";

  ASSERT_EQ(first->stop(SIGKILL), 128 + SIGKILL);  // a crash releases the directory too
  auto third = server(kPortZero);
  ASSERT_TRUE(third->start()) << third->stderrText();
  EXPECT_EQ(third->stop(SIGTERM), 0);
}

// Two clients read two huge logs at once (1 GiB plain, 256 MiB compressed): each gets the
// tail, and the server's peak memory grows by tens of MB at most. (Under AddressSanitizer its
// quarantine of freed memory is kept small, so that it measures the server, not the tool.)
TEST_F(ServerBinaryTest, ReadingHugeLogsStreamsWithBoundedMemory) {
  const auto logs = dir_.path() / "logs";
  const std::string plainHash = "0123456789abcdfghijklmnpqrsvwxyz", gzHash = "1123456789abcdfghijklmnpqrsvwxyz";
  std::filesystem::create_directories(logs / plainHash);
  std::filesystem::create_directories(logs / gzHash);
  {
    std::ofstream plain(logs / plainHash / "build.log");
    plain << "first line\n";
  }
  std::filesystem::resize_file(logs / plainHash / "build.log", std::uintmax_t{1} << 30);
  { std::ofstream(logs / plainHash / "build.log", std::ios::app) << "\nthe last line\n"; }
  auto made = testsupport::runCommand({"/bin/sh", "-c",
                                       "{ head -c 268435456 /dev/zero; echo 'compressed end'; } | gzip -1 > " +
                                           (logs / gzHash / "build.log.gz").string()},
                                      environment());
  ASSERT_EQ(made.status, 0) << made.err;
  const char* inherited = std::getenv("ASAN_OPTIONS");
  const std::string asanOptions = std::string(inherited != nullptr ? inherited : "") + ":quarantine_size_mb=1";
  auto s = server(kPortZero + "logs_dir = \"" + logs.string() + "\"\n", {{"ASAN_OPTIONS", asanOptions}});
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto memoryKiB = [&](const std::string& field) {
    std::ifstream status("/proc/" + std::to_string(s->pid()) + "/status");
    for (std::string line; std::getline(status, line);) {
      if (line.rfind(field, 0) == 0) return static_cast<std::size_t>(std::stoul(line.substr(field.size())));
    }
    return std::size_t{0};
  };
  const std::size_t beforeKiB = memoryKiB("VmRSS:");
  testsupport::HttpResult plain, gz;
  std::thread first([&] { plain = testsupport::httpRequest(s->httpPort(), "GET", "/logs/" + plainHash); });
  std::thread second([&] { gz = testsupport::httpRequest(s->httpPort(), "GET", "/logs/" + gzHash); });
  first.join();
  second.join();
  EXPECT_EQ(plain.status, 200);
  EXPECT_TRUE(plain.body.ends_with("the last line\n"));
  EXPECT_NE(plain.body.find("earlier bytes omitted"), std::string::npos);
  EXPECT_LE(plain.body.size(), std::size_t{5} << 20);
  EXPECT_EQ(gz.status, 200);
  EXPECT_TRUE(gz.body.ends_with("compressed end\n"));
  EXPECT_LE(gz.body.size(), std::size_t{5} << 20);
  const std::size_t peakKiB = memoryKiB("VmHWM:");
  EXPECT_GT(beforeKiB, 0u);
  EXPECT_LT(peakKiB - std::min(peakKiB, beforeKiB), std::size_t{64} * 1024)
      << "peak RSS " << peakKiB << " KiB, " << beforeKiB << " KiB before the two reads";
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(ServerBinaryTest, BadConfigurationRefusesToStartAndTouchesNothing) {
  auto s = server("[web]\nport = 0\nadress = \"0.0.0.0\"\n[[caches]]\nid = \"c\"\ncache_type = \"nixcopy\"\n");
  EXPECT_FALSE(s->start());
  EXPECT_EQ(s->wait(std::chrono::seconds(10)), 2);
  const std::string err = s->stderrText();
  EXPECT_NE(err.find("ekaci.toml:3:1: error E2001 [web.adress]"), std::string::npos) << err;
  EXPECT_NE(err.find("did you mean 'address'?"), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "data")) << "no database or state before the config is valid";
  // Plugin settings are checked by the plugins once the server's own settings are valid.
  auto typo = server(
      "[web]\nport = 0\n[[caches]]\nid = \"c\"\ncache_type = \"nixcopy\"\n"
      "[[caches]]\nid = \"d\"\ncache_type = \"nix-copy\"\n");
  EXPECT_FALSE(typo->start());
  EXPECT_EQ(typo->wait(std::chrono::seconds(10)), 2);
  const std::string plugins = typo->stderrText();
  EXPECT_NE(plugins.find("did you mean 'nix-copy'?"), std::string::npos) << plugins;
  EXPECT_NE(plugins.find("[caches[1].destination]: required key"), std::string::npos) << plugins;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "data"));
}

// The manual's examples with the bundled plugins installed: every cache type and credential
// source they use is there (the webhook secret comes from the environment, as the manual says).
TEST_F(ServerBinaryTest, EveryManualExamplePassesCheckConfigWithThePluginsInstalled) {
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(EKACI_SOURCE_DIR "/tests/data/config")) {
    if (entry.path().filename().string().rfind("manual-", 0) != 0) continue;
    auto env = environment();
    env["WEBHOOK_SECRET"] = "from-the-environment-file";
    auto checkedConfig =
        testsupport::runCommand({EKACI_SERVER_BINARY, "--check-config", "--config", entry.path().string()}, env);
    EXPECT_EQ(checkedConfig.status, 0) << entry.path().filename() << ":\n" << checkedConfig.err;
    ++checked;
  }
  EXPECT_GE(checked, 30u);
}

TEST_F(ServerBinaryTest, PluginSettingsAreDescribedWithoutAServer) {
  auto described = testsupport::runCommand({EKACI_CLI_BINARY, "plugins", "describe", "cachix"}, environment());
  EXPECT_EQ(described.status, 0) << described.err;
  EXPECT_NE(described.out.find("In `[[caches]]` with `cache_type = \"cachix\"`"), std::string::npos) << described.out;
  EXPECT_NE(described.out.find("| `cache_url` |"), std::string::npos) << described.out;
  auto typo = testsupport::runCommand({EKACI_CLI_BINARY, "plugins", "describe", "atic"}, environment());
  EXPECT_EQ(typo.status, 2);
  EXPECT_NE(typo.err.find("did you mean 'attic'?"), std::string::npos) << typo.err;
  auto reference = serverCommand({"--print-config-reference"});
  EXPECT_EQ(reference.status, 0) << reference.err;
  EXPECT_NE(reference.out.find("| `graph_lru_capacity` |"), std::string::npos);
  EXPECT_NE(reference.out.find("### `aws-secrets-manager` (credential-source)"), std::string::npos) << reference.out;
}

TEST_F(ServerBinaryTest, CheckConfigValidatesWithoutStarting) {
  auto good = dir_.write("good.toml", kPortZero, 0644);
  auto ok = serverCommand({"--check-config", "--config", good.string()});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(ok.out.find("configuration OK"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "data"));

  auto missingPlugin = dir_.write("vault.toml",
                                  "[[caches]]\nid = \"s3\"\ncache_type = \"nix-copy\"\ndestination = \"s3://b\"\n"
                                  "credentials = { github-app-key = { app_id = \"1\" } }\n",
                                  0644);
  auto refused = serverCommand({"--check-config", "--config", missingPlugin.string()});
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("credential source 'github-app-key' is not available"), std::string::npos) << refused.err;

  auto missingFile = serverCommand({"--check-config", "--config", (dir_.path() / "nope.toml").string()});
  EXPECT_EQ(missingFile.status, 2);
  EXPECT_NE(missingFile.err.find("E2007"), std::string::npos) << missingFile.err;
}

TEST_F(ServerBinaryTest, PrintedDefaultConfigIsAValidConfiguration) {
  auto printed = serverCommand({"--print-default-config"});
  ASSERT_EQ(printed.status, 0);
  auto file = dir_.write("defaults.toml", printed.out, 0644);
  auto checked = serverCommand({"--check-config", "--config", file.string()});
  EXPECT_EQ(checked.status, 0) << checked.err << "\n" << printed.out;
  auto help = serverCommand({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--check-config"), std::string::npos);
  EXPECT_EQ(serverCommand({"--bogus"}).status, 2);
}

TEST_F(ServerBinaryTest, IncompatiblePluginStopsStartupUnlessOptional) {
  const std::string plugin = std::string(EKACI_TEST_PLUGIN_DIR) + "/test_plugin_wrong_api.so";
  auto strict = server("plugin_paths = [\"" + plugin + "\"]\n" + kPortZero);
  EXPECT_FALSE(strict->start());
  EXPECT_EQ(strict->wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(strict->stderrText().find("test_plugin_wrong_api.so"), std::string::npos) << strict->stderrText();
  EXPECT_NE(strict->stderrText().find("E3002"), std::string::npos) << strict->stderrText();

  auto lenient = server("optional_plugin_paths = [\"" + plugin + "\"]\n" + kPortZero);
  ASSERT_TRUE(lenient->start()) << lenient->stderrText();
  auto status = testsupport::runCommand({EKACI_CLI_BINARY, "status"}, environment());
  EXPECT_NE(status.out.find("! skipped " + plugin), std::string::npos) << status.out;
  EXPECT_EQ(lenient->stop(SIGTERM), 0);
}

TEST_F(ServerBinaryTest, ForgesNeedAWebhookSecretAndSecretsAreNeverLogged) {
  const std::string plugins = "plugin_paths = [\"" EKACI_REFERENCE_PLUGIN_DIR "\"]\n";
  const std::string forge =
      "[[forges]]\nid = \"rec\"\ntype = \"recording\"\nwebhook_secret = \"forge-secret-value-1\"\n";
  auto insecure = server(plugins + kPortZero + forge);
  EXPECT_FALSE(insecure->start());
  EXPECT_EQ(insecure->wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(insecure->stderrText().find("no webhook secret is set"), std::string::npos) << insecure->stderrText();

  auto secured = server(plugins + "[web]\nport = 0\n[security]\nwebhook_secret = \"hmac-secret-value-2\"\n" + forge,
                        {{"EKACI_LOG", "trace"}});
  ASSERT_TRUE(secured->start()) << secured->stderrText();
  auto status = testsupport::httpRequest(secured->httpPort(), "GET", "/v1/status");
  EXPECT_NE(status.body.find("forge:recording"), std::string::npos) << status.body;
  EXPECT_EQ(secured->stop(SIGTERM), 0);
  const std::string logs = secured->stderrText();
  EXPECT_NE(logs.find("plugin loaded"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("hmac-secret-value-2"), std::string::npos) << "secret in the log";
  EXPECT_EQ(logs.find("forge-secret-value-1"), std::string::npos) << "secret in the log";
  EXPECT_EQ(status.body.find("hmac-secret-value-2"), std::string::npos);
}

TEST_F(ServerBinaryTest, OversizedAndMalformedRequestsLeaveTheServerHealthy) {
  auto s = server(kPortZero);
  ASSERT_TRUE(s->start()) << s->stderrText();
  {
    // Announce a 6 MiB body (over the 5 MiB webhook cap): refused from the headers alone, before the body is read.
    Poco::Net::StreamSocket raw(Poco::Net::SocketAddress("127.0.0.1", s->httpPort()));
    const std::string head = "POST /v1/status HTTP/1.1\r\nHost: x\r\nContent-Length: 6291456\r\n\r\n";
    raw.sendBytes(head.data(), static_cast<int>(head.size()));
    raw.setReceiveTimeout(Poco::Timespan(5, 0));
    char buffer[512] = {0};
    int n = raw.receiveBytes(buffer, sizeof buffer - 1);
    EXPECT_GT(n, 0);
    EXPECT_EQ(std::string(buffer).rfind("HTTP/1.1 413", 0), 0u) << buffer;
  }
  {
    Poco::Net::StreamSocket raw(Poco::Net::SocketAddress("127.0.0.1", s->httpPort()));
    const std::string garbage = "THIS IS NOT HTTP\r\n\r\n";
    raw.sendBytes(garbage.data(), static_cast<int>(garbage.size()));
    char buffer[256];
    raw.setReceiveTimeout(Poco::Timespan(5, 0));
    try {
      (void)raw.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      // the server may just close the connection
    }
  }
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "GET", "/health").status, 200);
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(ServerBinaryTest, InvalidLogFilterIsAUsageError) {
  auto s = server(kPortZero, {{"EKACI_LOG", "storage=loudest"}});
  EXPECT_FALSE(s->start());
  EXPECT_EQ(s->wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(s->stderrText().find("unknown log level 'loudest'"), std::string::npos);
}

TEST_F(ServerBinaryTest, CliHelpIsUseful) {
  auto help = testsupport::runCommand({EKACI_CLI_BINARY, "--help"}, environment());
  EXPECT_EQ(help.status, 0);
  for (const char* word : {"status", "plugins", "ping", "--socket"}) {
    EXPECT_NE(help.out.find(word), std::string::npos) << word;
  }
  auto statusHelp = testsupport::runCommand({EKACI_CLI_BINARY, "status", "--help"}, environment());
  EXPECT_EQ(statusHelp.status, 0);
  EXPECT_NE(statusHelp.out.find("Usage: ekaci status"), std::string::npos);
  EXPECT_EQ(testsupport::runCommand({EKACI_CLI_BINARY, "frobnicate"}, environment()).status, 2);
  EXPECT_EQ(testsupport::runCommand({EKACI_CLI_BINARY}, environment()).status, 2);
}

}  // namespace ekaci::integration

namespace ekaci::integration {

// Slow clients (slowloris-style: a request dribbled one byte at a time, bounded in count and
// duration) hold their own connections only; /health keeps answering throughout.
TEST_F(ServerBinaryTest, SlowClientsDoNotStarveOthers) {
  auto s = server(kPortZero);
  ASSERT_TRUE(s->start()) << s->stderrText();
  std::atomic<bool> stop{false};
  std::vector<std::thread> slow;
  for (int i = 0; i < 24; ++i) {
    slow.emplace_back([&, port = s->httpPort()] {
      try {
        Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
        const std::string request = "GET /health HTTP/1.1\r\nHost: slow\r\nX-Padding: ";
        for (std::size_t k = 0; k < request.size() && !stop; ++k) {
          socket.sendBytes(&request[k], 1);
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      } catch (const Poco::Exception&) {
        // the server may drop a slow client: that is allowed
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    auto health = testsupport::httpRequest(s->httpPort(), "GET", "/health");
    answered += health.status == 200 ? 1 : 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop = true;
  for (auto& t : slow) t.join();
  EXPECT_EQ(answered, 20);
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

}  // namespace ekaci::integration
