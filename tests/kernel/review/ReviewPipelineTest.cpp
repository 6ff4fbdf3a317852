// The whole review pipeline on the demo repository (examples/demo), with real git and real
// Nix: every commit of its history is one kind of change, and each must be explained right.
#include "kernel/review/ReviewPipeline.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "kernel/plugin_host/PluginHost.h"
#include "kernel/review/JsonRenderer.h"
#include "kernel/review/MarkdownRenderer.h"
#include "kernel/storage/SqliteStorage.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::review {
namespace {

struct Fixture {
  testsupport::TempDir dir;
  std::filesystem::path repo;
  plugin_host::PluginHost plugins;
  std::ostringstream logs;
  services::Logging logging{services::LogFilter(), logs};
  std::unique_ptr<storage::SqliteStorage> storage;
  std::unique_ptr<services::ServiceHub> hub;
  std::unique_ptr<ReviewPipeline> pipeline;

  Fixture() {
    repo = dir.path() / "demo";
    auto made = testsupport::runCommand({"bash", EKACI_SOURCE_DIR "/examples/demo/make-demo-repo.sh", repo.string()},
                                        {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}});
    if (made.status != 0) throw std::runtime_error("make-demo-repo.sh failed: " + made.err);
    if (auto loaded = plugins.loadPath(EKACI_BUNDLED_PLUGIN_DIR, false); !loaded) {
      throw std::runtime_error(loaded.error().describe());
    }
    storage = std::move(storage::SqliteStorage::open(dir.path() / "state" / "db.sqlite")).value();
    hub = std::make_unique<services::ServiceHub>(logging, plugins.registry(), dir.path() / "state");
    pipeline = std::make_unique<ReviewPipeline>(
        ReviewPipeline::Services{*storage, plugins.registry(), *hub, dir.path() / "state", {}, 100000});
  }

  ReviewReport review(const std::string& head, bool reuse = true) {
    ReviewRequest request;
    request.repository = repo.string();
    request.head = head;
    request.maxMemoryMiB = 2048;
    request.reuseEvaluations = reuse;
    auto report = pipeline->run(request, {});
    if (!report) throw std::runtime_error(report.error().describe());
    return std::move(report).value();
  }
};

Fixture& fixture() {
  static Fixture* f = new Fixture;  // one demo repository and one database for the binary
  return *f;
}

const PackageChange* change(const JobReview& job, const std::string& attr) {
  for (const auto& c : job.changes) {
    if (c.attr == attr) return &c;
  }
  return nullptr;
}

}  // namespace

TEST(ReviewPipelineTest, VersionBump) {
  auto report = fixture().review("bump");
  ASSERT_EQ(report.jobs.size(), 1u);
  const auto& job = report.jobs[0];
  EXPECT_TRUE(report.clean());
  EXPECT_EQ(report.headSubject, "hello: 2.12 -> 2.13");
  ASSERT_NE(change(job, "hello"), nullptr);
  EXPECT_EQ(change(job, "hello")->change, ChangeClass::VersionBump);
  EXPECT_EQ(change(job, "hello")->newVersion, "2.13");
  EXPECT_EQ(job.counts.rebuildOnly, 2u) << "app-b and app-d depend on hello";
  EXPECT_EQ(job.rebuilds[0].count, 3u);
  EXPECT_EQ(change(job, "hello")->dependentJobs, 2u);
}

TEST(ReviewPipelineTest, AddedAndRemoved) {
  auto job = fixture().review("add-remove").jobs.at(0);
  EXPECT_EQ(change(job, "newtool")->change, ChangeClass::Added);
  EXPECT_EQ(change(job, "oldtool")->change, ChangeClass::Removed);
  EXPECT_EQ(job.counts.added, 1u);
  EXPECT_EQ(job.counts.removed, 1u);
}

TEST(ReviewPipelineTest, DeepChangeHasTheLargestBlastRadius) {
  auto job = fixture().review("deep").jobs.at(0);
  EXPECT_EQ(job.counts.rebuildOnly, 9u);
  ASSERT_FALSE(job.topBlastRadius.empty());
  EXPECT_EQ(job.topBlastRadius.front(), "libcore");
  EXPECT_EQ(change(job, "libcore")->dependentJobs, 8u);
  EXPECT_EQ(change(job, "standalone"), nullptr) << "packages outside the closure do not rebuild";
  EXPECT_GT(job.graphNodes, 9u);
  // The review's graph metrics describe that graph.
  const std::string metrics = fixture().hub->metrics().render();
  EXPECT_NE(metrics.find("eka_ci_review_graph_nodes " + std::to_string(job.graphNodes)), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("eka_ci_review_graph_memory_bytes "), std::string::npos);
}

TEST(ReviewPipelineTest, FixedOutputOnlyChangeIsNotARebuild) {
  auto job = fixture().review("fod-only").jobs.at(0);
  EXPECT_TRUE(job.changes.empty());
  EXPECT_EQ(job.rebuilds.at(0).count, 0u);
}

TEST(ReviewPipelineTest, LicenseChange) {
  auto job = fixture().review("license").jobs.at(0);
  ASSERT_EQ(job.changes.size(), 1u);
  EXPECT_TRUE(job.changes[0].licenseChanged);
  EXPECT_EQ(job.changes[0].newLicenses, std::vector<std::string>{"Apache-2.0"});
}

TEST(ReviewPipelineTest, EvaluationErrorMakesTheReviewUnclean) {
  auto report = fixture().review("eval-error");
  EXPECT_FALSE(report.clean());
  const auto& job = report.jobs.at(0);
  ASSERT_EQ(job.evalErrors.size(), 1u);
  EXPECT_EQ(job.evalErrors[0].attr, "broken");
  EXPECT_EQ(job.evalErrors[0].change, EvalErrorChange::New);
  EXPECT_NE(job.evalErrors[0].message.find("doesNotExist"), std::string::npos);
}

TEST(ReviewPipelineTest, DocsOnlyChangeSkipsEvaluation) {
  auto report = fixture().review("docs");
  EXPECT_TRUE(report.jobs.empty());
  EXPECT_NE(report.skippedBecause.find("docs-only"), std::string::npos);
  EXPECT_EQ(report.changedFiles, std::vector<std::string>{"README.md"});
}

TEST(ReviewPipelineTest, StoredEvaluationsAreReused) {
  auto first = fixture().review("license");
  auto second = fixture().review("license");
  EXPECT_TRUE(second.jobs.at(0).baseFromCache);
  EXPECT_TRUE(second.jobs.at(0).headFromCache);
  ASSERT_EQ(first.jobs.at(0).changes.size(), second.jobs.at(0).changes.size());
  EXPECT_EQ(second.jobs.at(0).changes.at(0).attr, "licensed");
  EXPECT_EQ(second.jobs.at(0).changes.at(0).newLicenses, first.jobs.at(0).changes.at(0).newLicenses);
  EXPECT_EQ(second.jobs.at(0).headAttributes, first.jobs.at(0).headAttributes);
  auto fresh = fixture().review("license", false);
  EXPECT_FALSE(fresh.jobs.at(0).headFromCache);
  EXPECT_EQ(fresh.jobs.at(0).changes.size(), 1u);
}

TEST(ReviewPipelineTest, ExplicitBaseAndJsonReport) {
  ReviewRequest request;
  request.repository = fixture().repo.string();
  request.base = "v1";
  request.head = "license";
  request.maxMemoryMiB = 2048;
  auto report = fixture().pipeline->run(request, {});
  ASSERT_TRUE(report) << report.error().describe();
  const auto& job = report->jobs.at(0);
  EXPECT_EQ(change(job, "hello")->change, ChangeClass::VersionBump);
  EXPECT_EQ(change(job, "newtool")->change, ChangeClass::Added);
  EXPECT_TRUE(change(job, "licensed")->licenseChanged);
  const std::string json = JsonRenderer::render(*report);
  EXPECT_NE(json.find("\"schema\": \"ekaci.review/1\""), std::string::npos) << json.substr(0, 300);
  EXPECT_NE(json.find("\"change\": \"version-bump\""), std::string::npos);
  EXPECT_NE(json.find("\"label\": \"1-10\""), std::string::npos);
}

TEST(ReviewPipelineTest, UnknownRevisionsAndJobsAreClearErrors) {
  ReviewRequest request;
  request.repository = fixture().repo.string();
  request.head = "no-such-tag";
  auto missing = fixture().pipeline->run(request, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("unknown revision 'no-such-tag'"), std::string::npos);
  request.head = "bump";
  request.jobs = {"nope"};
  auto noJob = fixture().pipeline->run(request, {});
  ASSERT_FALSE(noJob);
  EXPECT_NE(noJob.error().message().find("no job named nope"), std::string::npos);
}

}  // namespace ekaci::review

namespace ekaci::review {

// Derivation files are read from the store, which pull requests fill. A truncated,
// corrupted or enormous .drv is reported as unreadable and the rest of the review completes.
// (The scripted reference evaluator hands the pipeline these paths as if Nix had.)
TEST(ReviewPipelineBadDerivationsTest, UnreadableDerivationsAreReportedAndTheReviewCompletes) {
  testsupport::TempDir dir;
  auto good = dir.write(
      "store/good.drv",
      R"(Derive([("out","/nix/store/g-good","","")],[],[],"x86_64-linux","/bin/sh",["-c","true"],[("out","/nix/store/g-good")]))");
  auto truncated = dir.write("store/truncated.drv", R"(Derive([("out","/nix/store/t-trunc","",)", 0644);
  auto corrupted = dir.write("store/corrupted.drv",
                             "\x7f"
                             "ELF\x02\x01\x01 not a derivation at all",
                             0644);
  const auto enormous = dir.path() / "store" / "enormous.drv";
  {
    std::ofstream out(enormous);
    out.seekp(std::streamoff{65} * 1024 * 1024);  // sparse: 65 MiB on paper, nothing on disk
    out.put(')');
  }
  const auto repo = dir.path() / "repo";
  std::filesystem::create_directories(repo / ".ekaci");
  std::ofstream(repo / ".ekaci" / "config.json")
      << R"({"jobs": {"set": {"file": "jobs.txt", "evaluator": "scripted"}}})";
  auto script = [&](bool withBad) {
    std::ofstream out(repo / "jobs.txt");
    out << "good " << good.string() << " x86_64-linux out=/nix/store/g-good\n";
    if (withBad) {
      out << "truncated " << truncated.string() << " x86_64-linux out=/nix/store/t-trunc\n";
      out << "corrupted " << corrupted.string() << " x86_64-linux out=/nix/store/c-corrupt\n";
      out << "enormous " << enormous.string() << " x86_64-linux out=/nix/store/e-enormous\n";
    }
  };
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.string(), "-c", "user.name=t", "-c", "user.email=t@x"});
    return testsupport::runCommand(args, {{"PATH", "/usr/bin:/bin"}, {"HOME", dir.path().string()}}).status;
  };
  ASSERT_EQ(git({"init", "-q", "-b", "main"}), 0);
  script(false);
  ASSERT_EQ(git({"add", "-A"}), 0);
  ASSERT_EQ(git({"commit", "-q", "-m", "one"}), 0);
  script(true);
  ASSERT_EQ(git({"commit", "-q", "-am", "bad derivations"}), 0);

  plugin_host::PluginHost plugins;
  ASSERT_TRUE(plugins.loadPath(EKACI_REFERENCE_PLUGIN_DIR, false));
  std::ostringstream logs;
  services::Logging logging{services::LogFilter(), logs};
  auto storage = std::move(storage::SqliteStorage::open(dir.path() / "state" / "db.sqlite")).value();
  services::ServiceHub hub(logging, plugins.registry(), dir.path() / "state");
  ReviewPipeline pipeline({*storage, plugins.registry(), hub, dir.path() / "state", {}, 1000});
  ReviewRequest request;
  request.repository = repo.string();
  auto report = pipeline.run(request, {});
  ASSERT_TRUE(report) << report.error().describe();
  const auto& job = report->jobs.at(0);
  EXPECT_EQ(job.counts.added, 3u) << "the three new attributes are still reported";
  ASSERT_EQ(job.unreadableDerivations.size(), 3u);
  std::string notes;
  for (const auto& note : job.notes) notes += note + "\n";
  EXPECT_NE(notes.find("truncated.drv could not be read"), std::string::npos) << notes;
  EXPECT_NE(notes.find("64 MiB"), std::string::npos) << notes;
  const auto markdown = MarkdownRenderer::render(*report, {}).markdown;
  EXPECT_NE(markdown.find("could not be read"), std::string::npos);
}

}  // namespace ekaci::review

namespace ekaci::review {

// A package whose meta.maintainers stops evaluating (an undefined name, as real package sets
// have) while its derivation is bumped: the bump is reported as a bump, the package is no
// evaluation error, and the failing metadata is a warning in the report and the stored jobs.
TEST(ReviewPipelineMetadataTest, FailingMetadataKeepsThePackageAJob) {
  auto& f = fixture();
  const auto repo = f.dir.path() / "metadata-repo";
  std::filesystem::create_directories(repo / ".ekaci");
  // Eka CI's spelling of a repository path: a leading '/' is the repository root.
  std::ofstream(repo / ".ekaci" / "config.json") << R"({"jobs": {"set": {"file": "/pkgs/default.nix"}}})";
  std::filesystem::create_directories(repo / "pkgs");
  auto write = [&](const std::string& version, const std::string& maintainers) {
    std::ofstream(repo / "pkgs" / "default.nix")
        << "{ }:\nlet lib = { maintainers = { alice = { github = \"alice\"; }; }; };\n"
           "  mk = pname: version: maintainers: derivation { name = \"${pname}-${version}\"; system = "
           "builtins.currentSystem;\n"
           "    builder = \"/bin/sh\"; args = [ \"-c\" \"echo > $out\" ]; } // { inherit pname version;\n"
           "    meta.maintainers = maintainers; };\n"
           "in { tool = mk \"tool\" \""
        << version << "\" (with lib.maintainers; [ " << maintainers << " ]);\n  other = mk \"other\" \"1\" [ ]; }\n";
  };
  const std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"}, {"HOME", f.dir.path().string()}};
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", repo.string(), "-c", "user.name=t", "-c", "user.email=t@x"});
    ASSERT_EQ(testsupport::runCommand(args, env).status, 0);
  };
  git({"init", "-q", "-b", "main"});
  write("1.0", "alice");
  git({"add", "-A"});
  git({"commit", "-q", "-m", "tool 1.0"});
  write("1.1", "alice nobody");
  git({"commit", "-qam", "tool 1.1, with a maintainer lib does not know"});

  ReviewRequest request;
  request.repository = repo.string();
  request.head = "HEAD";
  request.base = "HEAD~1";
  request.maxMemoryMiB = 2048;
  for (bool reuse : {false, true}) {
    request.reuseEvaluations = reuse;
    auto report = f.pipeline->run(request, {});
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->jobs.size(), 1u);
    const auto& job = report->jobs[0];
    EXPECT_EQ(job.headFromCache, reuse);
    EXPECT_EQ(job.counts.newErrors, 0u);
    EXPECT_TRUE(job.evalErrors.empty());
    const PackageChange* tool = change(job, "tool");
    ASSERT_NE(tool, nullptr);
    EXPECT_EQ(tool->change, ChangeClass::VersionBump);
    ASSERT_EQ(job.metadataWarnings.size(), 1u);
    EXPECT_EQ(job.metadataWarnings[0].first, "tool");
    ASSERT_EQ(job.metadataWarnings[0].second.size(), 1u);
    EXPECT_NE(job.metadataWarnings[0].second[0].find(
                  "meta.maintainers: error: undefined variable 'nobody' (at pkgs/default.nix:"),
              std::string::npos)
        << job.metadataWarnings[0].second[0];
    const std::string json = JsonRenderer::render(*report);
    const auto at = json.find("\"metadata_warnings\": [");
    ASSERT_NE(at, std::string::npos) << json;
    EXPECT_NE(json.find("\"attr\": \"tool\"", at), std::string::npos) << json;
    EXPECT_NE(json.find("meta.maintainers: error: undefined variable 'nobody'", at), std::string::npos) << json;
    const std::string markdown = MarkdownRenderer::render(*report, {}).markdown;
    EXPECT_NE(markdown.find("Metadata warnings: 1 package"), std::string::npos) << markdown;
    EXPECT_EQ(markdown.find("/checkouts/"), std::string::npos) << "no server paths in the report: " << markdown;
    EXPECT_FALSE(tool->maintainersChanged) << "maintainers that fail to evaluate are unknown, not changed";
  }
}

}  // namespace ekaci::review
