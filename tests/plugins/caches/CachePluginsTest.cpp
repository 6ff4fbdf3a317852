// The bundled cache plugins, loaded through the plugin host as the server loads them:
// nix-copy against a real file:// binary cache and real Nix; cachix and attic with stand-in
// executables that record their argv, environment and configuration and "push" by serving
// narinfo files from a local HTTP server, including their failure modes (non-zero exit,
// timeout, partial push, missing program).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "ekaci/sdk/testing/CacheConformance.h"
#include "kernel/plugin_host/PluginHost.h"
#include "kernel/services/PocoHttpClient.h"
#include "kernel/services/PosixProcessRunner.h"
#include "tests/support/LocalHttpServer.h"
#include "tests/support/TempDir.h"

namespace ekaci::plugins::caches {
namespace {

using testsupport::LocalHttpServer;

constexpr const char* kServerSecret = "server-only-secret-5c1e";
constexpr const char* kToken = "cachix-token-7f3a9b2e";

plugin_host::PluginHost& bundled() {
  static plugin_host::PluginHost* host = [] {
    auto* h = new plugin_host::PluginHost;  // never unloaded
    auto loaded = h->loadPath(EKACI_BUNDLED_PLUGIN_DIR, false);
    EXPECT_TRUE(loaded) << loaded.error().describe();
    return h;
  }();
  return *host;
}

const sdk::CacheFactory& factory(const std::string& type) {
  const auto* f = bundled().registry().cache(type);
  if (f == nullptr) throw std::runtime_error("cache plugin missing: " + type);
  return *f;
}

// Fakes, but real processes and real HTTP.
class RealHost : public sdk::testing::FakeHostServices {
 public:
  sdk::ProcessRunner& processes() override { return processes_; }
  sdk::HttpClient& http() override { return http_; }

 private:
  services::PosixProcessRunner processes_;
  services::PocoHttpClient http_;
};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeScript(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  ::chmod(path.c_str(), 0755);
}

// A directory that outlives the parameter generation of the conformance suites.
const std::filesystem::path& fixtureDir() {
  static testsupport::TempDir* dir = new testsupport::TempDir;
  return dir->path();
}

// Valid store paths without references, made by `nix-store --add` of files unique to this run.
std::vector<std::string> addedStorePaths(std::size_t count) {
  std::vector<std::string> out;
  const std::string nonce =
      std::to_string(::getpid()) + "-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  for (std::size_t i = 0; i < count; ++i) {
    const auto file = fixtureDir() / ("sample-" + std::to_string(i) + ".txt");
    std::ofstream(file) << "cache sample " << i << " " << nonce << "\n";
    const std::string command = "nix-store --add " + file.string() + " 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) continue;
    char line[512] = {};
    if (std::fgets(line, sizeof line, pipe) != nullptr) {
      std::string path = line;
      while (!path.empty() && (path.back() == '\n' || path.back() == '\r')) path.pop_back();
      out.push_back(path);
    }
    ::pclose(pipe);
  }
  return out;
}

std::string fakePath(char c, const std::string& name) {
  return "/nix/store/" + std::string(32, c) + "-" + name;
}

// A binary cache over HTTP that serves the narinfo files in `dir`, for a bearer token.
class NarinfoServer {
 public:
  NarinfoServer(std::filesystem::path dir, std::string token, std::string prefix = "")
      : dir_(std::move(dir)), server_([this, token = std::move(token), prefix = std::move(prefix)](const auto& r) {
          if (r.headers.count("authorization") == 0 || r.headers.at("authorization") != "Bearer " + token) {
            return LocalHttpServer::Answer{401, "unauthorized", {}};
          }
          if (r.target.rfind(prefix + "/", 0) != 0) return LocalHttpServer::Answer{404, "", {}};
          const auto name = r.target.substr(prefix.size() + 1);
          std::error_code ec;
          if (name.find('/') == std::string::npos && std::filesystem::exists(dir_ / name, ec)) {
            return LocalHttpServer::Answer{200, readFile(dir_ / name), {}};
          }
          return LocalHttpServer::Answer{404, "", {}};
        }) {
    std::filesystem::create_directories(dir_);
  }
  std::string url() const { return server_.url(); }
  const LocalHttpServer& http() const { return server_; }

 private:
  std::filesystem::path dir_;
  LocalHttpServer server_;
};

// cachix push <name> <paths>: records the call, then serves each path's narinfo — or, by the
// word in <dir>/mode, fails, hangs or pushes only the first path before failing.
void writeCachixStandIn(const std::filesystem::path& dir) {
  writeScript(dir / "cachix",
              "#!/bin/bash\n"
              "d='" +
                  dir.string() +
                  "'\n"
                  "{ printf 'ARGV'; printf ' %s' \"$@\"; echo; env | sort; echo END; } >> \"$d/calls\"\n"
                  "mode=$(cat \"$d/mode\" 2>/dev/null)\n"
                  "[ \"$1\" = push ] || exit 64\nshift 2\n"
                  "case \"$mode\" in\n"
                  "  fail) echo \"error: unauthorized for token $CACHIX_AUTH_TOKEN\" >&2; exit 3;;\n"
                  "  hang) exec sleep 30;;\n"
                  "  partial) h=$(basename \"$1\" | cut -c1-32); echo \"StorePath: $1\" > \"$d/served/$h.narinfo\";"
                  " echo 'error: connection reset by peer' >&2; exit 1;;\n"
                  "esac\n"
                  "for p in \"$@\"; do h=$(basename \"$p\" | cut -c1-32); echo \"StorePath: $p\" > "
                  "\"$d/served/$h.narinfo\"; done\n");
}

sdk::Value cachixConfig(const std::filesystem::path& dir, const std::string& url) {
  sdk::Value config = sdk::Value::table();
  config.set("destination", sdk::Value::string("ekaci-test"));
  config.set("cache_url", sdk::Value::string(url));
  config.set("cachix_program", sdk::Value::string((dir / "cachix").string()));
  sdk::Value credentials = sdk::Value::table();
  credentials.set("cachix-token", sdk::Value::table());
  config.set("credentials", credentials);
  return config;
}

struct CachixRig {
  explicit CachixRig(const std::filesystem::path& where) : dir(where), served(dir / "served", kToken) {
    writeCachixStandIn(dir);
    host.fakeSecrets().provide("cachix-token", {{"CACHIX_AUTH_TOKEN", kToken}});
  }
  std::unique_ptr<sdk::Cache> make() {
    auto made = factory("cachix").create(cachixConfig(dir, served.url()), host);
    EXPECT_TRUE(made) << made.error().describe();
    return made ? std::move(made).value() : nullptr;
  }
  std::filesystem::path dir;
  NarinfoServer served;
  RealHost host;
};

// attic push ekaci:<cache> <paths>: records its configuration file, then serves the narinfo.
void writeAtticStandIn(const std::filesystem::path& dir) {
  writeScript(dir / "attic",
              "#!/bin/bash\n"
              "d='" +
                  dir.string() +
                  "'\n"
                  "{ printf 'ARGV'; printf ' %s' \"$@\"; echo; env | sort; echo CONFIG; "
                  "cat \"$XDG_CONFIG_HOME/attic/config.toml\"; stat -c %a \"$XDG_CONFIG_HOME/attic/config.toml\";"
                  " echo END; } >> \"$d/calls\"\n"
                  "[ \"$1\" = push ] || exit 64\nshift 2\n"
                  "for p in \"$@\"; do h=$(basename \"$p\" | cut -c1-32); echo \"StorePath: $p\" > "
                  "\"$d/served/$h.narinfo\"; done\n");
}

struct AtticRig {
  explicit AtticRig(const std::filesystem::path& where)
      : dir(where), served(dir / "served", "attic-token-91", "/main") {
    writeAtticStandIn(dir);
    host.fakeSecrets().provide("env", {{"ATTIC_TOKEN", "attic-token-91"}});
  }
  std::unique_ptr<sdk::Cache> make() {
    sdk::Value config = sdk::Value::table();
    config.set("destination", sdk::Value::string(served.url() + "/main"));
    config.set("attic_program", sdk::Value::string((dir / "attic").string()));
    sdk::Value inner = sdk::Value::table();
    inner.set("vars", sdk::Value::stringList({"ATTIC_TOKEN"}));
    sdk::Value credentials = sdk::Value::table();
    credentials.set("env", inner);
    config.set("credentials", credentials);
    auto made = factory("attic").create(config, host);
    EXPECT_TRUE(made) << made.error().describe();
    return made ? std::move(made).value() : nullptr;
  }
  std::filesystem::path dir;
  NarinfoServer served;
  RealHost host;
};

sdk::testing::CacheSubject nixCopySubject() {
  sdk::testing::CacheSubject s;
  s.name = "NixCopyToFile";
  s.samplePaths = addedStorePaths(2);
  s.make = [](sdk::testing::FakeHostServices&) -> sdk::Result<std::unique_ptr<sdk::Cache>> {
    static RealHost* host = new RealHost;  // the cache keeps the reference
    static int n = 0;
    sdk::Value config = sdk::Value::table();
    config.set("destination",
               sdk::Value::string("file://" + (fixtureDir() / ("cache-" + std::to_string(++n))).string()));
    return factory("nix-copy").create(config, *host);
  };
  return s;
}

sdk::testing::CacheSubject cachixSubject() {
  sdk::testing::CacheSubject s;
  s.name = "CachixStandIn";
  s.samplePaths = {fakePath('a', "one"), fakePath('b', "two")};
  s.make = [](sdk::testing::FakeHostServices&) -> sdk::Result<std::unique_ptr<sdk::Cache>> {
    static int n = 0;
    const auto dir = fixtureDir() / ("cachix-" + std::to_string(++n));
    std::filesystem::create_directories(dir);
    static std::vector<std::unique_ptr<CachixRig>>* rigs = new std::vector<std::unique_ptr<CachixRig>>;
    rigs->push_back(std::make_unique<CachixRig>(dir));
    return rigs->back()->make();
  };
  return s;
}

sdk::testing::CacheSubject atticSubject() {
  sdk::testing::CacheSubject s;
  s.name = "AtticStandIn";
  s.samplePaths = {fakePath('c', "three"), fakePath('d', "four")};
  s.make = [](sdk::testing::FakeHostServices&) -> sdk::Result<std::unique_ptr<sdk::Cache>> {
    static int n = 0;
    const auto dir = fixtureDir() / ("attic-" + std::to_string(++n));
    std::filesystem::create_directories(dir);
    static std::vector<std::unique_ptr<AtticRig>>* rigs = new std::vector<std::unique_ptr<AtticRig>>;
    rigs->push_back(std::make_unique<AtticRig>(dir));
    return rigs->back()->make();
  };
  return s;
}

}  // namespace

EKACI_CACHE_CONFORMANCE(NixCopy, nixCopySubject());
EKACI_CACHE_CONFORMANCE(Cachix, cachixSubject());
EKACI_CACHE_CONFORMANCE(Attic, atticSubject());

TEST(NixCopyCacheTest, PushesSignedPathsANewStoreCanSubstitute) {
  testsupport::TempDir dir;
  const auto key = dir.path() / "sk";
  ASSERT_EQ(std::system(("nix-store --generate-binary-cache-key plugin-test-1 " + key.string() + " " +
                         (dir.path() / "pk").string())
                            .c_str()),
            0);
  RealHost host;
  sdk::Value config = sdk::Value::table();
  config.set("destination", sdk::Value::string("file://" + (dir.path() / "cache").string()));
  config.set("secret_key_file", sdk::Value::string(key.string()));
  auto cache = factory("nix-copy").create(config, host);
  ASSERT_TRUE(cache) << cache.error().describe();
  const auto paths = addedStorePaths(1);
  ASSERT_EQ(paths.size(), 1u);
  auto pushed = (*cache)->push(sdk::CachePushRequest{paths, "o/r", "main", std::chrono::seconds(60)});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->pushed, 1u);
  EXPECT_GT(pushed->bytes, 0u) << "NAR bytes of what was uploaded";
  const std::string narinfo = readFile(dir.path() / "cache" / (paths[0].substr(11, 32) + ".narinfo"));
  EXPECT_NE(narinfo.find("Sig: plugin-test-1:"), std::string::npos) << narinfo;
  const auto fresh = dir.path() / "fresh";
  const std::string copy = "nix --extra-experimental-features nix-command copy --from file://" +
                           (dir.path() / "cache").string() + " --to " + fresh.string() +
                           " --option trusted-public-keys \"$(cat " + (dir.path() / "pk").string() + ")\" " + paths[0] +
                           " 2>/dev/null";
  ASSERT_EQ(std::system(copy.c_str()), 0);
  EXPECT_EQ(readFile(fresh.string() + paths[0]), readFile(paths[0]));
}

// S3: the URL as configured (region, endpoint), the credentials in nix's environment — and
// nothing of the server's own environment.
TEST(NixCopyCacheTest, S3DestinationGetsItsUrlAndCredentialsAsEnvironment) {
  testsupport::TempDir dir;
  const auto calls = dir.path() / "calls";
  writeScript(dir.path() / "nix",
              "#!/bin/bash\n{ printf 'ARGV'; printf ' %s' \"$@\"; echo; env | sort; echo END; } >> '" + calls.string() +
                  "'\nfor a in \"$@\"; do case \"$a\" in --recursive) echo '[{\"path\":\"" + fakePath('e', "out") +
                  "\",\"narSize\":4096}]'; exit 0;; --store) echo '[{\"path\":\"" + fakePath('e', "out") +
                  "\",\"valid\":false}]'; exit 0;; esac; done\nexit 0\n");
  ::setenv("EKACI_TEST_SERVER_SECRET", kServerSecret, 1);
  RealHost host;
  host.fakeSecrets().provide("env",
                             {{"AWS_ACCESS_KEY_ID", "AKIAEXAMPLE0001"}, {"AWS_SECRET_ACCESS_KEY", "s3cr3t/key"}});
  sdk::Value config = sdk::Value::table();
  config.set("destination", sdk::Value::string("s3://bucket/nix?region=eu-west-1&endpoint=minio.example.org"));
  config.set("nix_program", sdk::Value::string((dir.path() / "nix").string()));
  sdk::Value inner = sdk::Value::table();
  inner.set("vars", sdk::Value::stringList({"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}));
  sdk::Value credentials = sdk::Value::table();
  credentials.set("env", inner);
  config.set("credentials", credentials);
  auto cache = factory("nix-copy").create(config, host);
  ASSERT_TRUE(cache) << cache.error().describe();
  auto pushed = (*cache)->push(sdk::CachePushRequest{{fakePath('e', "out")}, "o/r", "main", std::chrono::seconds(30)});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->pushed, 1u);
  EXPECT_EQ(pushed->bytes, 4096u);
  const std::string log = readFile(calls);
  EXPECT_NE(log.find("ARGV --extra-experimental-features nix-command copy --to "
                     "s3://bucket/nix?region=eu-west-1&endpoint=minio.example.org " +
                     fakePath('e', "out")),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("AWS_ACCESS_KEY_ID=AKIAEXAMPLE0001\n"), std::string::npos) << log;
  EXPECT_NE(log.find("AWS_SECRET_ACCESS_KEY=s3cr3t/key\n"), std::string::npos) << log;
  EXPECT_EQ(log.find(kServerSecret), std::string::npos) << "the server's environment leaked: " << log;
  EXPECT_EQ(log.find("s3cr3t/key "), std::string::npos) << "a credential on a command line: " << log;
  ::unsetenv("EKACI_TEST_SERVER_SECRET");
}

TEST(CachixCacheTest, TheTokenIsInTheEnvironmentAndPresentPathsAreNotPushed) {
  testsupport::TempDir dir;
  CachixRig rig(dir.path());
  auto cache = rig.make();
  ASSERT_TRUE(cache);
  const std::string held = fakePath('f', "held"), fresh = fakePath('g', "fresh");
  std::ofstream(dir.path() / "served" / (held.substr(11, 32) + ".narinfo")) << "StorePath: " << held << "\n";
  auto pushed = cache->push(sdk::CachePushRequest{{held, fresh}, "o/r", "main", std::chrono::seconds(30)});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->present, 1u);
  EXPECT_EQ(pushed->pushed, 1u);
  const std::string calls = readFile(dir.path() / "calls");
  EXPECT_NE(calls.find("ARGV push ekaci-test " + fresh + "\n"), std::string::npos) << calls;
  EXPECT_EQ(calls.find(held), std::string::npos) << "a path the cache holds was pushed: " << calls;
  EXPECT_NE(calls.find(std::string("CACHIX_AUTH_TOKEN=") + kToken + "\n"), std::string::npos) << calls;
  EXPECT_EQ(calls.find(std::string("ARGV push ekaci-test ") + kToken), std::string::npos);
  // Every narinfo request carried the token as a bearer.
  for (const auto& r : rig.served.http().requests()) EXPECT_EQ(r.status == 401, false) << r.target;
}

TEST(CachixCacheTest, FailuresAreErrorsWithoutTheToken) {
  testsupport::TempDir dir;
  CachixRig rig(dir.path());
  auto cache = rig.make();
  ASSERT_TRUE(cache);
  std::ofstream(dir.path() / "mode") << "fail";
  auto failed = cache->push(sdk::CachePushRequest{{fakePath('h', "x")}, "o/r", "main", std::chrono::seconds(30)});
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code(), sdk::ErrorCode::CachePushFailed);
  EXPECT_NE(failed.error().message().find("exit status 3"), std::string::npos) << failed.error().message();
  EXPECT_NE(failed.error().message().find("unauthorized for token ***"), std::string::npos) << failed.error().message();
  EXPECT_EQ(failed.error().message().find(kToken), std::string::npos) << failed.error().message();

  std::ofstream(dir.path() / "mode", std::ios::trunc) << "hang";
  const auto started = std::chrono::steady_clock::now();
  auto hung = cache->push(sdk::CachePushRequest{{fakePath('h', "x")}, "o/r", "main", std::chrono::seconds(1)});
  ASSERT_FALSE(hung);
  EXPECT_EQ(hung.error().code(), sdk::ErrorCode::CacheTimeout) << hung.error().describe();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20)) << "the stand-in was not stopped";
}

TEST(CachixCacheTest, APartialPushIsAnErrorAndTheRetryPushesOnlyTheRest) {
  testsupport::TempDir dir;
  CachixRig rig(dir.path());
  auto cache = rig.make();
  ASSERT_TRUE(cache);
  const std::string one = fakePath('i', "one"), two = fakePath('j', "two");
  std::ofstream(dir.path() / "mode") << "partial";
  auto partial = cache->push(sdk::CachePushRequest{{one, two}, "o/r", "main", std::chrono::seconds(30)});
  ASSERT_FALSE(partial);
  EXPECT_NE(partial.error().message().find("connection reset by peer"), std::string::npos);
  std::filesystem::remove(dir.path() / "mode");
  std::filesystem::remove(dir.path() / "calls");
  auto retried = cache->push(sdk::CachePushRequest{{one, two}, "o/r", "main", std::chrono::seconds(30)});
  ASSERT_TRUE(retried) << retried.error().describe();
  EXPECT_EQ(retried->present, 1u);
  EXPECT_EQ(retried->pushed, 1u);
  EXPECT_NE(readFile(dir.path() / "calls").find("ARGV push ekaci-test " + two + "\n"), std::string::npos);
}

TEST(CachixCacheTest, AMissingProgramOrTokenIsNamed) {
  testsupport::TempDir dir;
  CachixRig rig(dir.path());
  auto config = cachixConfig(dir.path(), rig.served.url());
  config.set("cachix_program", sdk::Value::string((dir.path() / "no-such-cachix").string()));
  auto cache = factory("cachix").create(config, rig.host);
  ASSERT_TRUE(cache);
  auto missing = (*cache)->push(sdk::CachePushRequest{{fakePath('k', "x")}, "o/r", "main", std::chrono::seconds(5)});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), sdk::ErrorCode::CacheUnavailable) << missing.error().describe();
  rig.host.fakeSecrets().provide("cachix-token", {{"SOMETHING_ELSE", "x"}});
  auto noToken = rig.make()->push(sdk::CachePushRequest{{fakePath('k', "x")}, "o/r", "main", std::chrono::seconds(5)});
  ASSERT_FALSE(noToken);
  EXPECT_EQ(noToken.error().code(), sdk::ErrorCode::SecretNotFound);
  EXPECT_NE(noToken.error().message().find("CACHIX_AUTH_TOKEN"), std::string::npos);
  auto badName = cachixConfig(dir.path(), rig.served.url());
  badName.set("destination", sdk::Value::string("../etc"));
  EXPECT_FALSE(factory("cachix").create(badName, rig.host));
}

TEST(AtticCacheTest, TheTokenIsInAPrivateConfigurationRemovedAfterThePush) {
  testsupport::TempDir dir;
  AtticRig rig(dir.path());
  auto cache = rig.make();
  ASSERT_TRUE(cache);
  const std::string path = fakePath('l', "pkg");
  auto pushed = cache->push(sdk::CachePushRequest{{path}, "o/r", "main", std::chrono::seconds(30)});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->pushed, 1u);
  const std::string calls = readFile(dir.path() / "calls");
  EXPECT_NE(calls.find("ARGV push ekaci:main " + path + "\n"), std::string::npos) << calls;
  EXPECT_NE(calls.find("endpoint = \"" + rig.served.url() + "/\"\ntoken = \"attic-token-91\"\n600\n"),
            std::string::npos)
      << calls;
  EXPECT_EQ(calls.find("ATTIC_TOKEN=attic-token-91"), std::string::npos) << "the token is not in attic's environment";
  // The configuration does not outlive the push.
  std::size_t left = 0;
  for (const auto& entry : std::filesystem::directory_iterator(rig.host.stateDirectory())) {
    (void)entry;
    ++left;
  }
  EXPECT_EQ(left, 0u);
  EXPECT_FALSE(factory("attic").create(
      [] {
        sdk::Value c = sdk::Value::table();
        c.set("destination", sdk::Value::string("attic.example.com"));
        return c;
      }(),
      rig.host));
}

}  // namespace ekaci::plugins::caches
