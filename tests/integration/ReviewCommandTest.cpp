// `ekaci review` as a user runs it: the real binary on the demo repository.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "kernel/storage/SqliteStorage.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::integration {
namespace {

class ReviewCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testsupport::TempDir;
    auto made = testsupport::runCommand(
        {"bash", EKACI_SOURCE_DIR "/examples/demo/make-demo-repo.sh", (dir_->path() / "repo").string()},
        {{"PATH", "/usr/bin:/bin"}, {"HOME", dir_->path().string()}});
    ASSERT_EQ(made.status, 0) << made.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  std::map<std::string, std::string> environment() const {
    return {{"PATH", "/usr/bin:/bin"},
            {"HOME", dir_->path().string()},
            {"XDG_DATA_HOME", (dir_->path() / "data").string()},
            {"XDG_CONFIG_HOME", (dir_->path() / "config").string()}};
  }
  testsupport::CommandResult review(std::vector<std::string> args) {
    args.insert(args.begin(), {EKACI_CLI_BINARY, "review", "--repo", (dir_->path() / "repo").string()});
    return testsupport::runCommand(args, environment(), std::chrono::seconds(120));
  }
  // `ekaci review --build` of demo commit `head` with `extra` arguments, binary caches off
  // (this machine is offline); `path`, when given, replaces PATH.
  testsupport::CommandResult buildReview(const std::string& head, const std::vector<std::string>& extra = {},
                                         const std::string& path = "") {
    auto env = environment();
    env["NIX_CONFIG"] = "substituters =";
    if (!path.empty()) env["PATH"] = path;
    std::vector<std::string> args = {EKACI_CLI_BINARY, "review", "--repo", (dir_->path() / "repo").string(),
                                     "--head", head, "--build"};
    args.insert(args.end(), extra.begin(), extra.end());
    return testsupport::runCommand(args, env, std::chrono::seconds(180));
  }
  static std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static Poco::JSON::Object::Ptr parseJson(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  }
  static testsupport::TempDir* dir_;
};
testsupport::TempDir* ReviewCommandTest::dir_ = nullptr;

}  // namespace

TEST_F(ReviewCommandTest, CleanChangePrintsTheSummaryAndExitsZero) {
  auto result = review({"--head", "bump"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.out.find("**Verdict: ✅ evaluation is clean.**"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("| `hello` | version bump | `2.12` → `2.13` |"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("job packages at head"), std::string::npos) << "progress goes to stderr: " << result.err;
}

TEST_F(ReviewCommandTest, BrokenChangeExitsOneAndWritesJson) {
  const auto json = dir_->path() / "report.json";
  auto result = review({"--head", "eval-error", "--json", json.string(), "--quiet"});
  EXPECT_EQ(result.status, 1) << result.err;
  EXPECT_TRUE(result.err.empty()) << "--quiet: " << result.err;
  auto root = parseJson(readFile(json));
  EXPECT_FALSE(root->getValue<bool>("clean"));
  auto job = root->getArray("jobs")->getObject(0);
  EXPECT_EQ(job->getObject("counts")->getValue<int>("new_errors"), 1);
  EXPECT_EQ(job->getArray("eval_errors")->getObject(0)->getValue<std::string>("attr"), "broken");
}

TEST_F(ReviewCommandTest, MarkdownToAFileAndJsonToStdout) {
  const auto markdown = dir_->path() / "summary.md";
  auto result = review({"--head", "deep", "--markdown", markdown.string(), "--json", "-", "--quiet"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.out.front(), '{');
  const auto text = readFile(markdown);
  EXPECT_NE(text.find("| `libcore` | 8 |"), std::string::npos) << text;
}

TEST_F(ReviewCommandTest, UsageAndRepositoryErrors) {
  EXPECT_EQ(review({"--frobnicate"}).status, 2);
  auto help = testsupport::runCommand({EKACI_CLI_BINARY, "review", "--help"}, environment());
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--base REV"), std::string::npos);
  auto missing = review({"--head", "no-such-rev", "--quiet"});
  EXPECT_EQ(missing.status, 3);
  EXPECT_NE(missing.err.find("unknown revision 'no-such-rev'"), std::string::npos) << missing.err;
  auto rebuildAlone = review({"--rebuild"});
  EXPECT_EQ(rebuildAlone.status, 2);
  EXPECT_NE(rebuildAlone.err.find("--rebuild only applies with --build"), std::string::npos) << rebuildAlone.err;
}

TEST_F(ReviewCommandTest, UntrustedConfigurationIsRefusedWithTheField) {
  testsupport::TempDir bad;
  const auto repo = bad.path() / "repo";
  std::filesystem::create_directories(repo / ".ekaci");
  std::ofstream(repo / "default.nix") << "{ }: { }";
  std::ofstream(repo / ".ekaci" / "config.json") << R"({"jobs": {"x": {"file": "../etc/passwd"}}})";
  auto env = environment();
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.string(), "-c", "user.name=t", "-c", "user.email=t@x"});
    return testsupport::runCommand(args, env);
  };
  ASSERT_EQ(git({"init", "-q", "-b", "main"}).status, 0);
  ASSERT_EQ(git({"add", "-A"}).status, 0);
  ASSERT_EQ(git({"commit", "-q", "-m", "one"}).status, 0);
  ASSERT_EQ(git({"commit", "-q", "--allow-empty", "-m", "two"}).status, 0);
  auto result = testsupport::runCommand({EKACI_CLI_BINARY, "review", "--repo", repo.string(), "--quiet"}, env);
  EXPECT_EQ(result.status, 2) << result.out;
  EXPECT_NE(result.err.find("[jobs.x.file]"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("contains '..'"), std::string::npos) << result.err;
}

}  // namespace ekaci::integration

namespace ekaci::integration {

// `ekaci review --build` on three of the demo's last commits: a package breaks, stays broken
// while another changes, then is fixed. Real Nix builds through the scheduler.
TEST_F(ReviewCommandTest, BuildReportsNewlyAndStillFailingAndSucceeding) {
  const auto run = [&](const std::string& head) { return buildReview(head, {"--quiet"}); };
  auto broke = run("build-break");
  EXPECT_EQ(broke.status, 1) << broke.err;
  EXPECT_NE(broke.out.find("| `packages` | 1 | 0 | 0 | 0 | 0 |"), std::string::npos) << broke.out;
  EXPECT_NE(broke.out.find("**Newly failing** in `packages`:\n\n- `app-c` (failure, base "), std::string::npos)
      << broke.out;
  // The end of the failed build's log is quoted under it.
  EXPECT_NE(broke.out.find("<details><summary><code>app-c</code>: the end of the build log of "), std::string::npos)
      << broke.out;
  EXPECT_NE(broke.out.find("missing header\n"), std::string::npos) << broke.out;
  auto still = run("still-broken");
  EXPECT_EQ(still.status, 0) << still.err;  // nothing newly fails
  EXPECT_NE(still.out.find("| `packages` | 0 | 0 | 1 | 1 | 0 |"), std::string::npos) << still.out;
  EXPECT_NE(still.out.find("- `app-c` (failure, base failure)"), std::string::npos) << still.out;
  // With --json the builds are in the report too.
  const auto json = (dir_->path() / "builds.json").string();
  auto again = buildReview("still-broken", {"--quiet", "--json", json});
  EXPECT_EQ(again.status, 0) << again.err;
  const auto text = readFile(json);
  auto report = parseJson(text);
  auto builds = report->getArray("builds");
  ASSERT_TRUE(builds && builds->size() == 1) << text;
  auto counts = builds->getObject(0)->getObject("counts");
  EXPECT_EQ(counts->getValue<int>("still_failing"), 1);
  EXPECT_EQ(counts->getValue<int>("still_succeeding"), 1);
  EXPECT_EQ(builds->getObject(0)->getValue<std::string>("conclusion"), "failed");  // a changed job fails
  auto fixed = run("build-fix");
  EXPECT_EQ(fixed.status, 0) << fixed.err;
  EXPECT_NE(fixed.out.find("| `packages` | 0 | 1 | 0 | 0 | 0 |"), std::string::npos) << fixed.out;
  // Built now, or found valid in the store from an earlier run of the same commit.
  EXPECT_TRUE(fixed.out.find("- `app-c` (success, base failure)") != std::string::npos ||
              fixed.out.find("- `app-c` (cached, base failure)") != std::string::npos)
      << fixed.out;
  // app-c 4 is measured; app-c 3 never built, so there is nothing to compare it with.
  EXPECT_NE(fixed.out.find("`packages`: 1 output measured."), std::string::npos) << fixed.out;
  EXPECT_NE(fixed.out.find("| base not built |"), std::string::npos) << fixed.out;
}

// A failure is answered from the failure cache on the next review; --rebuild builds it again.
TEST_F(ReviewCommandTest, RebuildBuildsCachedFailuresAgain) {
  const auto run = [&](std::vector<std::string> extra) {
    extra.insert(extra.end(), {"--quiet", "--no-base-builds"});
    return buildReview("build-break", extra);
  };
  const auto builds = [&] {
    auto db = std::move(storage::SqliteStorage::open(dir_->path() / "data" / "ekaci" / "sqlite.db")).value();
    std::size_t n = 0;
    auto failed = db->drvsInStates({"failure"}, 1000);
    if (!failed) return n;
    for (const auto& row : *failed) {
      if (row.drvPath.find("-app-c-2.drv") == std::string::npos) continue;
      auto events = db->buildEvents(row.drvId);
      if (!events) continue;
      for (const auto& e : *events) n += e.state == "building";
    }
    return n;
  };
  EXPECT_EQ(run({}).status, 1);
  const auto first = builds();
  ASSERT_GE(first, 2u) << "built and retried";
  EXPECT_EQ(run({}).status, 1);
  EXPECT_EQ(builds(), first) << "the cached failure answers";
  EXPECT_EQ(run({"--rebuild"}).status, 1);
  EXPECT_EQ(builds(), first + 2) << "built again, and retried";
}

// When sizes cannot be measured (here a `nix` that always fails; nix-instantiate and
// nix-store still work), the review still reports its builds and says why sizes are missing.
TEST_F(ReviewCommandTest, SizesThatCannotBeMeasuredLoseNothingElse) {
  testsupport::TempDir shim;
  // Evaluation (nix repl) and the sandbox check (nix show-config) work; measuring sizes (nix
  // path-info) does not.
  shim.write("nix",
             "#!/bin/sh\ncase \" $* \" in *\" repl \"*|*\" show-config \"*) exec /usr/bin/nix \"$@\" ;; esac\n"
             "echo 'nix: broken on purpose' >&2\nexit 1\n",
             0755);
  auto result = buildReview("size-growth", {"--quiet"}, shim.path().string() + ":/usr/bin:/bin");
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.err.find("warning: sizes not measured: "), std::string::npos) << result.err;
  EXPECT_NE(result.out.find("| `packages` | 0 | 0 | 0 | 1 | 0 |"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("## Closure sizes\n\nNot measured: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("broken on purpose"), std::string::npos) << result.out;
}

// The demo's last commit makes a package depend on curl: its closure grows far past the
// size_check limit of 50 %, which warns without failing the review.
TEST_F(ReviewCommandTest, BuildReportsClosureGrowthAboveTheSizeLimit) {
  const auto json = (dir_->path() / "sizes.json").string();
  auto grown = buildReview("size-growth", {"--json", json, "--markdown", (dir_->path() / "sizes.md").string()});
  EXPECT_EQ(grown.status, 0) << grown.err;
  EXPECT_NE(grown.err.find("warning: job packages: the closure of standalone (out) grew +"), std::string::npos)
      << grown.err;
  const auto markdown = readFile(dir_->path() / "sizes.md");
  EXPECT_NE(markdown.find("## Closure sizes"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("- `standalone` (`out`): +"), std::string::npos) << markdown;
  const auto text = readFile(json);
  auto report = parseJson(text);
  auto sizes = report->getArray("sizes");
  ASSERT_TRUE(sizes && sizes->size() == 1) << text;
  auto outputs = sizes->getObject(0)->getArray("outputs");
  ASSERT_EQ(outputs->size(), 1u) << text;
  auto standalone = outputs->getObject(0);
  EXPECT_EQ(standalone->getValue<std::string>("attr"), "standalone");
  EXPECT_TRUE(standalone->getValue<bool>("over_limit"));
  // standalone 7 now refers to curl, which refers to libnet, which refers to libcore.
  EXPECT_GT(standalone->getValue<std::int64_t>("closure_size"), 3 * standalone->getValue<std::int64_t>("base_closure_size"));
}

}  // namespace ekaci::integration
