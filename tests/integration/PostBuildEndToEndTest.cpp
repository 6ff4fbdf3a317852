// After-build work end to end: `ekaci --config ekaci.toml review --build` (the real binary,
// the bundled nix-copy plugin, real Nix) builds a repository's new packages, runs the job's
// post-build hook and pushes the outputs to a real file:// binary cache, signed; the paths
// are then substituted from that cache into a fresh store with the public key. A second cache
// the repository may not use is skipped with a line in the report, and the build stays green.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "kernel/storage/SqliteStorage.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::integration {
namespace {

constexpr const char* kServerSecret = "server-secret-0d1f7a9c-never-in-a-hook";
constexpr const char* kCacheSecret = "cache-credential-51f0e2d7-never-shown";

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class PostBuildEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Derivations unique to this run, so they are built (not found valid) every time.
    nonce_ = std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto repo = dir_.path() / "repo";
    std::filesystem::create_directories(repo);
    auto git = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"git", "-C", repo.string()});
      auto r = testsupport::runCommand(args, env());
      ASSERT_EQ(r.status, 0) << r.err;
    };
    git({"init", "-q", "-b", "main"});
    git({"config", "user.name", "t"});
    git({"config", "user.email", "t@example.invalid"});
    writeFile(repo / ".ekaci/config.json", R"({
  "jobs": {
    "packages": {
      "file": "default.nix",
      "caches": ["local", "restricted"],
      "post_build_hooks": [
        { "name": "record", "command": ["env"], "env": { "FROM_REPO": "yes", "PATH": "/tmp/evil" } }
      ]
    }
  }
})");
    writeFile(repo / "default.nix", "{ }\n");
    git({"add", "-A"});
    git({"commit", "-q", "-m", "base"});
    writeFile(
        repo / "default.nix",
        "let mk = name: script: derivation { inherit name; system = builtins.currentSystem; builder = \"/bin/sh\";"
        " args = [ \"-c\" script ]; }; in rec {\n"
        "  dep = mk \"dep-1.0\" \"echo dep-" +
            nonce_ +
            " > $out\";\n"
            "  top = mk \"top-2.0\" \"echo ${dep} > $out\";\n}\n");
    git({"commit", "-q", "-am", "add packages"});

    auto keys = testsupport::runCommand({"nix-store", "--generate-binary-cache-key", "ekaci-test-1",
                                         (dir_.path() / "sk").string(), (dir_.path() / "pk").string()},
                                        env());
    ASSERT_EQ(keys.status, 0) << keys.err;
    writeFile(dir_.path() / "ekaci.toml",
              "[security]\nallow_insecure_webhooks = true\nallowed_hook_commands = [\"env\"]\n"
              "\n[[caches]]\nid = \"local\"\ncache_type = \"nix-copy\"\ndestination = \"file://" +
                  (dir_.path() / "cache").string() + "\"\nsecret_key_file = \"" + (dir_.path() / "sk").string() +
                  "\"\ncredentials = { env = { vars = [\"EKACI_TEST_CACHE_SECRET\"] } }\n"
                  "\n[[caches]]\nid = \"restricted\"\ncache_type = \"nix-copy\"\n"
                  "destination = \"file://" +
                  (dir_.path() / "other-cache").string() +
                  "\"\n[caches.permissions]\nallow_all = false\nallowed_repos = "
                  "[\"someone-else/*\"]\n");
  }

  std::map<std::string, std::string> env() const {
    return {{"PATH", "/usr/bin:/bin"},
            {"HOME", dir_.path().string()},
            {"XDG_DATA_HOME", (dir_.path() / "data").string()},
            {"XDG_CONFIG_HOME", (dir_.path() / "config").string()},
            {"NIX_CONFIG", "substituters ="},
            {"EKACI_TEST_SERVER_SECRET", kServerSecret},
            {"EKACI_TEST_CACHE_SECRET", kCacheSecret},
            {"EKACI_LOG", "debug"}};
  }

  testsupport::TempDir dir_;
  std::string nonce_;
};

}  // namespace

TEST_F(PostBuildEndToEndTest, BuildsArePushedToARealCacheAndSubstitutableFromIt) {
  const auto json = dir_.path() / "report.json";
  auto review = testsupport::runCommand({EKACI_CLI_BINARY, "--config", (dir_.path() / "ekaci.toml").string(), "review",
                                         "--repo", (dir_.path() / "repo").string(), "--base", "main~1", "--head",
                                         "main", "--build", "--name", "acme/packages", "--json", json.string()},
                                        env(), std::chrono::seconds(180));
  ASSERT_EQ(review.status, 0) << review.err << review.out;
  // The denied cache is a line of the report, not a failure.
  EXPECT_NE(review.out.find("cache 'restricted' not pushed: repository acme/packages is not in allowed_repos"),
            std::string::npos)
      << review.out;
  EXPECT_NE(readFile(json).find("\"job packages: cache 'restricted' not pushed: repository acme/packages"),
            std::string::npos)
      << readFile(json);

  // The built outputs, from Nix itself.
  auto outPath = [&](const std::string& attr) {
    auto r = testsupport::runCommand(
        {"nix-instantiate", "--eval", "-E",
         "(import " + (dir_.path() / "repo" / "default.nix").string() + ")." + attr + ".outPath"},
        env());
    EXPECT_EQ(r.status, 0) << r.err;
    const auto first = r.out.find('"'), last = r.out.rfind('"');
    return first == std::string::npos || last <= first ? std::string() : r.out.substr(first + 1, last - first - 1);
  };
  const std::string topPath = outPath("top");
  const std::string depPath = outPath("dep");
  ASSERT_EQ(topPath.rfind("/nix/store/", 0), 0u) << topPath;

  // In the cache, signed: a fresh store takes both from it, trusting only our key.
  const auto hashOf = [](const std::string& path) { return path.substr(11, 32); };
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "cache" / (hashOf(topPath) + ".narinfo")));
  EXPECT_NE(readFile(dir_.path() / "cache" / (hashOf(topPath) + ".narinfo")).find("Sig: ekaci-test-1:"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "other-cache")) << "the denied cache was written to";
  const auto fresh = dir_.path() / "fresh";
  auto copied = testsupport::runCommand({"nix", "--extra-experimental-features", "nix-command", "copy", "--from",
                                         "file://" + (dir_.path() / "cache").string(), "--to", fresh.string(),
                                         "--option", "trusted-public-keys", readFile(dir_.path() / "pk"), topPath},
                                        env(), std::chrono::seconds(60));
  ASSERT_EQ(copied.status, 0) << copied.err;
  EXPECT_EQ(readFile(fresh.string() + topPath), readFile(topPath));
  EXPECT_EQ(readFile(fresh.string() + depPath), readFile(depPath));

  // One row per pushed path, and the hook ran with the manual's variables only.
  auto storage = storage::SqliteStorage::open(dir_.path() / "data" / "ekaci" / "sqlite.db");
  ASSERT_TRUE(storage) << storage.error().describe();
  auto instantiated =
      testsupport::runCommand({"nix-instantiate", (dir_.path() / "repo" / "default.nix").string(), "-A", "top"}, env());
  ASSERT_EQ(instantiated.status, 0) << instantiated.err;
  std::string drvPath = instantiated.out;
  while (!drvPath.empty() && (drvPath.back() == '\n' || drvPath.back() == '\r')) drvPath.pop_back();
  auto drv = (*storage)->findDrv(drvPath);
  ASSERT_TRUE(drv && *drv) << drvPath;
  auto pushes = (*storage)->cachePushesOf((*drv)->id);
  ASSERT_TRUE(pushes);
  std::map<std::string, std::string> states;
  for (const auto& row : *pushes) states[row.cacheId] = row.state;
  EXPECT_EQ(states["local"], "pushed");
  EXPECT_EQ(states["restricted"], "skipped");
  auto runs = (*storage)->hookRunsOf((*drv)->id);
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_TRUE(runs->front().success);
  const std::string log = readFile(runs->front().logPath);
  EXPECT_EQ(runs->front().logPath,
            (dir_.path() / "data" / "ekaci" / "build-logs" / drvPath.substr(11, 32) / "hook-record.log").string());
  EXPECT_NE(log.find("DRV_PATH=" + drvPath + "\n"), std::string::npos) << log;
  EXPECT_NE(log.find("OUT_PATHS=" + topPath + "\n"), std::string::npos) << log;
  EXPECT_NE(log.find("EKA_JOB_NAME=packages\n"), std::string::npos) << log;
  EXPECT_NE(log.find("EKA_IS_FOD=false\n"), std::string::npos) << log;
  EXPECT_NE(log.find("EKA_PNAME=top\n"), std::string::npos) << log;
  EXPECT_NE(log.find("FROM_REPO=yes\n"), std::string::npos) << log;
  EXPECT_EQ(log.find("/tmp/evil"), std::string::npos) << "the repository set PATH: " << log;
  EXPECT_EQ(log.find(kServerSecret), std::string::npos) << "the server's environment reached a hook: " << log;
  EXPECT_EQ(log.find("EKACI_TEST_SERVER_SECRET"), std::string::npos) << log;

  // The cache's credential was fetched and used, and appears nowhere: not in the output or the
  // debug log, the report, the database or any file the review left.
  EXPECT_EQ(review.out.find(kCacheSecret), std::string::npos);
  EXPECT_EQ(review.err.find(kCacheSecret), std::string::npos);
  EXPECT_NE(review.err.find("pushed to cache"), std::string::npos) << "the debug log covers the push: " << review.err;
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path() / "data")) {
    if (!entry.is_regular_file()) continue;
    ++files;
    EXPECT_EQ(readFile(entry.path()).find(kCacheSecret), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 3u) << "the database and the logs were searched";
  EXPECT_EQ(readFile(json).find(kCacheSecret), std::string::npos);
}

}  // namespace ekaci::integration
