#include "kernel/config/RepoConfigReader.h"

#include <gtest/gtest.h>

#include "tests/support/TempDir.h"

namespace ekaci::config {
namespace {

class RepoConfigReaderTest : public ::testing::Test {
 protected:
  RepoConfigReaderTest() : reader_({{"production-s3", "public-cachix"}, {"nix", "cachix"}}) {
    dir_.write("default.nix", "{ }: { }", 0644);
    dir_.write("pkgs/all.nix", "{ }: { }", 0644);
  }
  sdk::Result<RepoConfig> parse(const std::string& json) {
    return reader_.parse(json, ".ekaci/config.json", dir_.path());
  }
  std::string errorOf(const std::string& json) {
    auto result = parse(json);
    EXPECT_FALSE(result) << json;
    return result ? "" : result.error().message();
  }
  testsupport::TempDir dir_;
  RepoConfigReader reader_;
};

}  // namespace

TEST_F(RepoConfigReaderTest, ReadsTheManualsSchema) {
  auto config = parse(R"({
    "jobs": {
      "packages": { "file": "pkgs/all.nix", "attr_path": "pkgs", "allow_eval_failures": true,
                    "caches": ["production-s3"], "size_check": { "max_increase_percent": 10.0 },
                    "post_build_hooks": [ { "name": "push", "command": ["nix", "copy", "--to", "s3://x"],
                                            "env": { "AWS_PROFILE": "prod" } } ] }
    },
    "checks": { "fmt": { "shell": "devShell", "command": "treefmt --check", "ro_bind": ["pkgs"] } },
    "package_change_summary": { "max_packages_listed": 20 },
    "rebuild_impact": { "compute_full_blast_radius": true },
    "change_sets": [ { "paths": ["doc/**"], "kind": "docs-only" } ]
  })");
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_EQ(config->jobs.size(), 1u);
  const auto& job = config->jobs[0];
  EXPECT_EQ(job.file, "pkgs/all.nix");
  EXPECT_EQ(job.attrPath, "pkgs");
  EXPECT_EQ(job.evaluator, "legacy");
  EXPECT_TRUE(job.allowEvalFailures);
  EXPECT_EQ(job.caches, std::vector<std::string>{"production-s3"});
  ASSERT_TRUE(job.sizeCheck.has_value());
  EXPECT_DOUBLE_EQ(job.sizeCheck->maxIncreasePercent, 10.0);
  EXPECT_EQ(job.sizeCheck->baseBranch, "main");
  ASSERT_EQ(job.postBuildHooks.size(), 1u);
  EXPECT_EQ(job.postBuildHooks[0].command.front(), "nix");
  EXPECT_EQ(job.postBuildHooks[0].env[0].second, "prod");
  ASSERT_EQ(config->checks.size(), 1u);
  EXPECT_EQ(config->checks[0].roBind, std::vector<std::string>{"pkgs"});
  EXPECT_EQ(config->packageChangeSummary.maxPackagesListed, 20);
  EXPECT_TRUE(config->packageChangeSummary.enabled);
  EXPECT_TRUE(config->rebuildImpact.computeFullBlastRadius);
  EXPECT_EQ(config->rebuildImpact.maxTopBlastRadius, 5);
  ASSERT_EQ(config->changeSets.size(), 1u);
  EXPECT_EQ(config->changeSets[0].kind, ChangeKind::DocsOnly);
}

TEST_F(RepoConfigReaderTest, ALeadingSlashMeansTheRepositoryRoot) {
  auto config = parse(R"({"jobs": {"slash": {"file": "/pkgs/all.nix"}, "plain": {"file": "pkgs/all.nix"},
                                    "root": {"file": "//default.nix"}},
                          "checks": {"c": {"command": "x", "ro_bind": ["/pkgs"]}}})");
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_EQ(config->jobs.size(), 3u);
  for (const auto& job : config->jobs) {
    EXPECT_EQ(job.file, job.name == "root" ? "default.nix" : "pkgs/all.nix") << job.name;
  }
  EXPECT_EQ(config->checks[0].roBind, std::vector<std::string>{"pkgs"});
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "/"}}})").find("names no file"), std::string::npos);
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": ""}}})").find("names no file"), std::string::npos);
}

TEST_F(RepoConfigReaderTest, PathsCannotLeaveTheCheckout) {
  // A leading '/' is the repository root, so "/etc/passwd" is a file of the repository (absent here).
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "/etc/passwd"}}})").find("'etc/passwd' is not a file"), std::string::npos);
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "/../etc/passwd"}}})").find("contains '..'"), std::string::npos);
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "../outside.nix"}}})").find("contains '..'"), std::string::npos);
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "pkgs/../../x.nix"}}})").find("contains '..'"), std::string::npos);
  std::filesystem::create_symlink("/etc", dir_.path() / "escape");
  std::string error = errorOf(R"({"jobs": {"a": {"file": "escape/passwd"}}})");
  EXPECT_NE(error.find("leads outside the repository"), std::string::npos) << error;
  EXPECT_NE(error.find("[jobs.a.file]"), std::string::npos) << error;
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "missing.nix"}}})").find("not a file"), std::string::npos);
  std::filesystem::create_symlink("/home", dir_.path() / "home");
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "default.nix"}}, "checks": {"c": {"command": "x", "ro_bind": ["/home"]}}})")
                .find("leads outside the repository"),
            std::string::npos);
}

TEST_F(RepoConfigReaderTest, UnknownCachesAreSkippedWithAWarning) {
  auto config = parse(R"({"jobs": {"a": {"file": "default.nix", "caches": ["someone-elses-cache", "production-s3"]}}})");
  ASSERT_TRUE(config) << config.error().message();
  EXPECT_EQ(config->jobs[0].caches, std::vector<std::string>{"production-s3"});
  ASSERT_EQ(config->warnings.size(), 1u);
  EXPECT_NE(config->warnings[0].find("unknown cache id 'someone-elses-cache'"), std::string::npos) << config->warnings[0];
  EXPECT_NE(config->warnings[0].find("pushes to it are skipped"), std::string::npos) << config->warnings[0];
}

TEST_F(RepoConfigReaderTest, JobsAreOptionalAndChecksAreAnnouncedAsNotRun) {
  auto summaryOnly = parse(R"({"package_change_summary": {"max_packages_listed": 7}})");
  ASSERT_TRUE(summaryOnly) << summaryOnly.error().message();
  EXPECT_EQ(summaryOnly->packageChangeSummary.maxPackagesListed, 7);
  ASSERT_EQ(summaryOnly->jobs.size(), 1u);
  EXPECT_EQ(summaryOnly->jobs[0].file, "default.nix") << "the default job, as without a configuration";
  ASSERT_EQ(summaryOnly->warnings.size(), 1u);
  EXPECT_NE(summaryOnly->warnings[0].find("defines no jobs; evaluating the default job (default.nix)"), std::string::npos);

  std::filesystem::remove(dir_.path() / "default.nix");
  auto nothing = parse(R"({"change_sets": [{"paths": ["doc/**"], "kind": "docs-only"}], "jobs": {}})");
  ASSERT_TRUE(nothing) << nothing.error().message();
  EXPECT_TRUE(nothing->jobs.empty());
  EXPECT_EQ(nothing->changeSets.size(), 1u);
  ASSERT_EQ(nothing->warnings.size(), 1u);
  EXPECT_NE(nothing->warnings[0].find("nothing is evaluated"), std::string::npos) << nothing->warnings[0];

  auto checks = parse(R"({"jobs": {"a": {"file": "pkgs/all.nix"}}, "checks": {"fmt": {"command": "treefmt"}}})");
  ASSERT_TRUE(checks) << checks.error().message();
  ASSERT_EQ(checks->warnings.size(), 1u);
  EXPECT_NE(checks->warnings[0].find("[checks.fmt] checks are not run"), std::string::npos) << checks->warnings[0];
}

TEST_F(RepoConfigReaderTest, RefusesWhatTheServerDoesNotAllow) {
  std::string hook = errorOf(
      R"({"jobs": {"a": {"file": "default.nix", "post_build_hooks": [{"name": "x", "command": ["curl", "evil"]}]}}})");
  EXPECT_NE(hook.find("command 'curl' is not allowed by the server"), std::string::npos) << hook;
  std::string path = errorOf(
      R"({"jobs": {"a": {"file": "default.nix", "fod_post_build_hooks": [{"name": "x", "command": ["/usr/bin/nix"]}]}}})");
  EXPECT_NE(path.find("not allowed"), std::string::npos) << path;
  std::string attr = errorOf(R"({"jobs": {"a": {"file": "default.nix", "attr_path": "x; rm -rf /"}}})");
  EXPECT_NE(attr.find("is not an attribute path"), std::string::npos) << attr;
}

TEST_F(RepoConfigReaderTest, TypesAndShapesAreChecked) {
  std::string wrong = errorOf(R"({"jobs": {"a": {"file": 7}}})");
  EXPECT_NE(wrong.find("[jobs.a.file]: expected a string, found integer 7"), std::string::npos) << wrong;
  EXPECT_NE(errorOf(R"({"jobs": {"a": "default.nix"}})").find("expected a table"), std::string::npos);
  EXPECT_NE(errorOf(R"([1, 2])").find("must be a JSON object"), std::string::npos);
  EXPECT_NE(errorOf(R"({"jobs": )").find("not valid JSON"), std::string::npos);
  EXPECT_NE(errorOf(R"({"jobs": {"a": {"file": "default.nix", "evaluator": "../../bin/sh"}}})").find("is not a plugin type"),
            std::string::npos);
}

TEST_F(RepoConfigReaderTest, UnknownKeysAreWarningsWithSuggestions) {
  auto config = parse(R"({"jobs": {"a": {"file": "default.nix", "allow_eval_failure": true}}, "cheks": {}})");
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_EQ(config->warnings.size(), 2u);
  const std::string all = config->warnings[0] + "\n" + config->warnings[1];
  EXPECT_NE(all.find("unknown key 'allow_eval_failure' in [jobs.a] (did you mean 'allow_eval_failures'?)"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("unknown key 'cheks' at the top level (did you mean 'checks'?)"), std::string::npos) << all;
}

TEST_F(RepoConfigReaderTest, HugeAndDeepFilesAreRefusedBeforeParsing) {
  std::string deep(1000, '[');
  EXPECT_NE(errorOf(deep).find("nests deeper than 32"), std::string::npos);
  std::string huge = "{\"jobs\": {\"a\": {\"file\": \"default.nix\"}}, \"pad\": \"" + std::string(1100000, 'x') + "\"}";
  EXPECT_NE(errorOf(huge).find("over the 1 MiB limit"), std::string::npos);
  // Brackets inside strings do not count as nesting.
  auto config = parse(R"({"jobs": {"a": {"file": "default.nix", "attr_path": "a"}}, "x": ")" + deep + R"("})");
  EXPECT_TRUE(config) << config.error().message();
}

TEST_F(RepoConfigReaderTest, FindsEitherSpellingAndRefusesASymlinkedConfig) {
  dir_.write(".eka-ci/config.json", R"({"jobs": {"second": {"file": "default.nix"}}})", 0644);
  auto fromDash = reader_.read(dir_.path());
  ASSERT_TRUE(fromDash) << fromDash.error().message();
  EXPECT_EQ(fromDash->jobs[0].name, "second");
  dir_.write(".ekaci/config.json", R"({"jobs": {"first": {"file": "default.nix"}}})", 0644);
  EXPECT_EQ(reader_.read(dir_.path())->jobs[0].name, "first") << ".ekaci wins over .eka-ci";
  std::filesystem::remove(dir_.path() / ".ekaci" / "config.json");
  std::filesystem::create_symlink("/etc/hostname", dir_.path() / ".ekaci" / "config.json");
  auto escaped = reader_.read(dir_.path());
  ASSERT_FALSE(escaped);
  EXPECT_NE(escaped.error().message().find("outside the repository"), std::string::npos);
}

TEST_F(RepoConfigReaderTest, DefaultJobWithoutConfiguration) {
  auto config = reader_.read(dir_.path());
  ASSERT_TRUE(config) << config.error().message();
  ASSERT_EQ(config->jobs.size(), 1u);
  EXPECT_EQ(config->jobs[0].file, "default.nix");
  EXPECT_EQ(config->jobs[0].evaluator, "legacy");
  testsupport::TempDir flake;
  flake.write("flake.nix", "{ outputs = _: { }; }", 0644);
  auto flakeConfig = reader_.read(flake.path());
  ASSERT_TRUE(flakeConfig);
  EXPECT_EQ(flakeConfig->jobs[0].evaluator, "flake-checks");
  testsupport::TempDir empty;
  EXPECT_FALSE(reader_.read(empty.path()));
}

}  // namespace ekaci::config

namespace ekaci::config {
namespace {

// Each job evaluates base and head: a pull request's config cannot ask for thousands.
TEST(RepoConfigReaderLimitTest, MoreJobsThanTheServerAllowsAreRefused) {
  testsupport::TempDir dir;
  dir.write("default.nix", "{ }: { }", 0644);
  RepoConfigReader::ServerPolicy policy;
  policy.maxJobs = 3;
  RepoConfigReader reader(policy);
  auto jobs = [](int n) {
    std::string json = R"({"jobs": {)";
    for (int i = 0; i < n; ++i) json += (i ? "," : "") + std::string("\"j") + std::to_string(i) + R"(": {"file": "default.nix"})";
    return json + "}}";
  };
  EXPECT_TRUE(reader.parse(jobs(3), ".ekaci/config.json", dir.path()));
  auto refused = reader.parse(jobs(4), ".ekaci/config.json", dir.path());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("4 jobs; this server evaluates at most 3"), std::string::npos)
      << refused.error().message();
}

}  // namespace
}  // namespace ekaci::config
