// A GitHub pull request, end to end: the real server binary, a local GitHub that records
// every request (each checked against GitHub's published REST description), the demo
// repository as the pull request's source, and GitHub's own webhook payloads, signed.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/GithubServerTest.h"
#include "tests/support/FakeGithub.h"
#include "tests/support/GithubTestKit.h"
#include "tests/support/OpenApiValidator.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::integration {
namespace {

using namespace std::chrono_literals;
using testsupport::FakeGithub;
using testsupport::GithubTestKit;

using GithubEndToEndTest = GithubServerTest;

TEST_F(GithubEndToEndTest, APullRequestGetsItsChecksAndAPushSupersedesThem) {
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  const std::string broken = sha("build-break");

  // Hostile deliveries first: none of them may start anything.
  const std::string opened = pullRequest("opened", 7, "docs", "build-break");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "d-unsigned", opened, "").status, 401);
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "d-forged", opened, "sha256=" + std::string(64, '0')).status, 401);
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "d-other-body", opened + " ", sign(opened)).status, 401);
  auto get = testsupport::httpRequest(s->httpPort(), "GET", "/github/webhook");
  EXPECT_EQ(get.status, 405);

  // The real delivery, acknowledged at once; its redelivery is recognised.
  auto accepted = deliver(s->httpPort(), "pull_request", "d-1", opened, sign(opened));
  EXPECT_EQ(accepted.status, 202) << accepted.body;
  auto replay = deliver(s->httpPort(), "pull_request", "d-1", opened, sign(opened));
  EXPECT_EQ(replay.status, 200);
  EXPECT_NE(replay.body.find("duplicate"), std::string::npos);

  auto runs = waitForRuns(broken, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  ASSERT_TRUE(concluded(runs, "EkaCI: Configure")) << s->stderrText();
  EXPECT_EQ(runs["EkaCI: Configure"].conclusion, "success");
  ASSERT_TRUE(concluded(runs, "EkaCI: Evaluate Job (packages)"));
  EXPECT_EQ(runs["EkaCI: Evaluate Job (packages)"].conclusion, "failure");
  EXPECT_NE(runs["EkaCI: Evaluate Job (packages)"].summary.find("app-c"), std::string::npos);
  ASSERT_TRUE(concluded(runs, "app-c / Changed (packages)"));
  EXPECT_EQ(runs["app-c / Changed (packages)"].conclusion, "failure");
  EXPECT_NE(runs["app-c / Changed (packages)"].summary.find("missing header"), std::string::npos)
      << runs["app-c / Changed (packages)"].summary;
  EXPECT_EQ(runs["app-c / Changed (packages)"].detailsUrl.rfind("https://ci.example.org/logs/", 0), 0u);
  EXPECT_EQ(runs["EkaCI: Change Summary"].conclusion, "neutral");
  EXPECT_NE(runs["EkaCI: Change Summary"].summary.find("app-c"), std::string::npos);
  EXPECT_EQ(runs["EkaCI: Change Summary"].detailsUrl,
            "https://ci.example.org/v1/commits/" + broken + "/change-summary.md");
  // Passing packages get no check runs of their own.
  for (const auto& [name, run] : runs) {
    EXPECT_TRUE(name.rfind("EkaCI: ", 0) == 0 || name == "app-c / Changed (packages)") << name;
  }

  // A push: the new head is reviewed and passes.
  const std::string fixed = sha("build-fix");
  const std::string pushed = pullRequest("synchronize", 7, "docs", "build-fix");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "d-2", pushed, sign(pushed)).status, 202);
  auto after = waitForRuns(fixed, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  ASSERT_TRUE(concluded(after, "EkaCI: Evaluate Job (packages)")) << s->stderrText();
  EXPECT_EQ(after["EkaCI: Evaluate Job (packages)"].conclusion, "success");
  EXPECT_EQ(after.count("app-c / Changed (packages)"), 0u);

  // The API has the same review: the whole Markdown, the structured parts, the reports.
  auto md = testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/" + broken + "/change-summary.md");
  EXPECT_EQ(md.status, 200);
  EXPECT_NE(md.body.find("app-c"), std::string::npos);
  auto summary =
      testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/" + broken + "/change-summary?job=packages");
  EXPECT_EQ(summary.status, 200);
  EXPECT_NE(summary.body.find("\"markdown\""), std::string::npos);
  auto changes = testsupport::httpRequest(s->httpPort(), "GET",
                                          "/v1/commits/" + broken + "/package-changes?max_packages_listed=1");
  EXPECT_EQ(changes.status, 200);
  EXPECT_NE(changes.body.find("\"changes_total\""), std::string::npos) << changes.body;
  EXPECT_EQ(
      testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/" + broken + "/package-changes?max_packages_listed=x")
          .status,
      400);
  auto impact = testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/" + broken + "/rebuild-impact");
  EXPECT_EQ(impact.status, 200);
  EXPECT_NE(impact.body.find("top_blast_radius"), std::string::npos);
  auto reports = testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/" + broken + "/check_runs");
  EXPECT_NE(reports.body.find("app-c / Changed (packages)"), std::string::npos) << reports.body;
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/not-a-sha/check_runs").status, 400);
  EXPECT_EQ(
      testsupport::httpRequest(s->httpPort(), "GET", "/v1/commits/" + std::string(40, 'f') + "/change-summary").status,
      404);

  // Closed: nothing of it stays open.
  const std::string closed = pullRequest("closed", 7, "docs", "build-fix");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "d-3", closed, sign(closed)).status, 202);
  std::this_thread::sleep_for(2s);
  for (const auto& [name, run] : github_->checkRunsOf(fixed)) EXPECT_EQ(run.status, "completed") << name;

  // An event the server does not act on is acknowledged, never an error.
  auto star = GithubTestKit::stringify(GithubTestKit::examples("star").at(0));
  EXPECT_EQ(deliver(s->httpPort(), "star", "d-4", star, sign(star)).status, 202);

  auto prs = testsupport::httpRequest(s->httpPort(), "GET", "/v1/prs");
  EXPECT_NE(prs.body.find("\"number\":7"), std::string::npos) << prs.body;
  auto pr = testsupport::httpRequest(s->httpPort(), "GET", "/v1/prs/octo/demo/7");
  EXPECT_EQ(pr.status, 200);
  EXPECT_NE(pr.body.find("\"state\":\"closed\""), std::string::npos) << pr.body;

  auto metrics = testsupport::httpRequest(s->httpPort(), "GET", "/v1/metrics");
  EXPECT_NE(metrics.body.find("eka_ci_webhook_signature_failures_total{reason=\"invalid\"} 2"), std::string::npos)
      << metrics.body.substr(0, 2000);
  EXPECT_NE(metrics.body.find("eka_ci_webhook_signature_failures_total{reason=\"missing\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_webhook_duplicates_total 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_change_summary_render_seconds_count 2"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_reviews_total{outcome=\"failing\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_forge_outbox_depth 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("\nprocess_resident_memory_bytes "), std::string::npos);
  expectNoDuplicatesAndEveryRequestDocumented();
  EXPECT_EQ(s->stop(SIGTERM), 0);
  expectTokensNowhere(*s);
}

TEST_F(GithubEndToEndTest, ChecksArriveThroughErrorsRateLimitsResetsAndAKilledServer) {
  // GitHub misbehaves on the first calls for check runs...
  github_->scriptFaults(
      "/repos/octo/demo/check-runs",
      {FakeGithub::Fault{500, {}, R"({"message":"Server Error"})", 0ms, false},
       FakeGithub::Fault{
           403, {{"Retry-After", "1"}}, R"({"message":"You have exceeded a secondary rate limit."})", 0ms, false},
       FakeGithub::Fault{429, {{"Retry-After", "1"}}, R"({"message":"Too many requests"})", 0ms, false},
       FakeGithub::Fault{502, {}, "Bad gateway", 1500ms, false}, FakeGithub::Fault{200, {}, "", 0ms, true}});
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  const std::string head = sha("add-remove");
  const std::string opened = pullRequest("opened", 9, "bump", "add-remove");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "f-1", opened, sign(opened)).status, 202);
  // ... and the server is killed as soon as the first check run exists.
  waitForRuns(
      head, [](const auto& r) { return !r.empty(); }, 120s);
  ASSERT_EQ(s->stop(SIGKILL), SIGKILL + 128);
  auto again = server();
  ASSERT_TRUE(again->start()) << again->stderrText();
  auto runs = waitForRuns(head, [](const auto& r) {
    return concluded(r, "EkaCI: Change Summary") && concluded(r, "EkaCI: Evaluate Job (packages)") &&
           concluded(r, "EkaCI: Configure");
  });
  ASSERT_TRUE(concluded(runs, "EkaCI: Configure")) << again->stderrText();
  EXPECT_EQ(runs["EkaCI: Configure"].conclusion, "success");
  EXPECT_EQ(runs["EkaCI: Evaluate Job (packages)"].conclusion, "success");
  EXPECT_NE(runs["EkaCI: Change Summary"].summary.find("newtool"), std::string::npos);
  // Every scripted fault was met on the way.
  std::multiset<int> faults;
  for (const auto& request : github_->requests()) {
    if (request.status >= 400 || request.status < 0) faults.insert(request.status);
  }
  EXPECT_EQ(faults, (std::multiset<int>{-1, 403, 429, 500, 502}));
  expectNoDuplicatesAndEveryRequestDocumented();
  EXPECT_EQ(again->stop(SIGTERM), 0);
  expectTokensNowhere(*again);
}

TEST_F(GithubEndToEndTest, AReviewCutShortByACrashIsResumedAtTheNextStart) {
  // The review's first step (the installation token for fetching) hangs; the server dies there.
  github_->scriptFaults("/app/installations/77/access_tokens",
                        {FakeGithub::Fault{500, {}, R"({"message":"Server Error"})", 6000ms, false}});
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  const std::string head = sha("bump");
  const std::string opened = pullRequest("opened", 12, "v1", "bump");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "r-1", opened, sign(opened)).status, 202);
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(github_->checkRunsOf(head).empty());
  ASSERT_EQ(s->stop(SIGKILL), SIGKILL + 128);

  auto again = server();
  ASSERT_TRUE(again->start()) << again->stderrText();
  auto runs = waitForRuns(head, [](const auto& r) {
    return concluded(r, "EkaCI: Change Summary") && concluded(r, "EkaCI: Evaluate Job (packages)") &&
           concluded(r, "EkaCI: Configure");
  });
  EXPECT_NE(again->stderrText().find("resumed unfinished reviews"), std::string::npos) << again->stderrText();
  EXPECT_EQ(runs["EkaCI: Evaluate Job (packages)"].conclusion, "success") << again->stderrText();
  EXPECT_NE(runs["EkaCI: Change Summary"].summary.find("hello"), std::string::npos);
  expectNoDuplicatesAndEveryRequestDocumented();
  EXPECT_EQ(again->stop(SIGTERM), 0);
}

TEST_F(GithubEndToEndTest, AForkWaitsForApprovalAndIsFetchedFromTheFork) {
  // A fork with a commit the base repository does not have.
  const auto fork = (dir_.path() / "fork").string();
  const std::map<std::string, std::string> env = {{"PATH", "/usr/bin:/bin"}, {"HOME", dir_.path().string()}};
  ASSERT_EQ(testsupport::runCommand({"git", "clone", "-q", repo(), fork}, env).status, 0);
  ASSERT_EQ(testsupport::runCommand({"git", "-C", fork, "checkout", "-q", "-b", "feature", "add-remove"}, env).status,
            0);
  {
    std::ofstream out(fork + "/default.nix", std::ios::app);
    out << "# changed in a fork\n";
  }
  ASSERT_EQ(
      testsupport::runCommand(
          {"git", "-C", fork, "-c", "user.name=s", "-c", "user.email=s@x", "commit", "-q", "-am", "from a fork"}, env)
          .status,
      0);
  auto head = testsupport::runCommand({"git", "-C", fork, "rev-parse", "HEAD"}, env).out.substr(0, 40);
  ASSERT_EQ(testsupport::runCommand({"git", "-C", repo(), "cat-file", "-e", head}, env).status == 0, false);

  auto s = server({"--require-approval"});
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto payload = [&](const std::string& action) {
    auto examples = GithubTestKit::examples("pull_request", action);
    Poco::JSON::Parser parser;
    auto object = parser.parse(pullRequest(action, 11, "bump", "add-remove")).extract<Poco::JSON::Object::Ptr>();
    auto pr = object->getObject("pull_request");
    pr->getObject("user")->set("login", "stranger");
    auto headRepo =
        parser.parse(GithubTestKit::stringify(object->getObject("repository"))).extract<Poco::JSON::Object::Ptr>();
    headRepo->set("full_name", "stranger/demo");
    headRepo->set("clone_url", fork);
    headRepo->getObject("owner")->set("login", "stranger");
    pr->getObject("head")->set("repo", headRepo);
    pr->getObject("head")->set("sha", head);
    return GithubTestKit::stringify(object);
  };
  const std::string opened = payload("opened");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "a-1", opened, sign(opened)).status, 202);
  auto held = waitForRuns(
      head, [](const auto& r) { return !r.empty(); }, 60s);
  ASSERT_EQ(held.count("EkaCI: Approval Required (User: @stranger)"), 1u) << s->stderrText();
  EXPECT_EQ(held["EkaCI: Approval Required (User: @stranger)"].conclusion, "neutral");
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(github_->checkRunsOf(head).count("EkaCI: Configure"), 0u) << "an unapproved fork was reviewed";

  // The operator approves over the socket; the next push is reviewed, its head fetched from the fork.
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {EKACI_CLI_BINARY, "--socket", s->socketPath()});
    return testsupport::runCommand(args, testsupport::isolatedEnvironment(dir_.path()), 30s);
  };
  auto approved = cli({"approve", "stranger"});
  EXPECT_EQ(approved.status, 0) << approved.err;
  EXPECT_NE(approved.out.find("stranger approved"), std::string::npos);
  EXPECT_EQ(cli({"approve", "not a login"}).status, 1);
  auto listed = cli({"approved"});
  EXPECT_EQ(listed.out, "stranger\n");
  auto overHttp = testsupport::httpRequest(s->httpPort(), "GET", "/v1/admin/approved-users");
  EXPECT_NE(overHttp.body.find("stranger"), std::string::npos);
  EXPECT_EQ(testsupport::httpRequest(s->httpPort(), "POST", "/v1/admin/approved-users", "{}").status, 405);

  const std::string pushed = payload("synchronize");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "a-2", pushed, sign(pushed)).status, 202);
  auto runs = waitForRuns(head, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  ASSERT_TRUE(concluded(runs, "EkaCI: Configure")) << s->stderrText();
  EXPECT_EQ(runs["EkaCI: Configure"].conclusion, "success") << runs["EkaCI: Configure"].summary;
  EXPECT_EQ(runs["EkaCI: Evaluate Job (packages)"].conclusion, "success");
  EXPECT_NE(runs["EkaCI: Change Summary"].summary.find("newtool"), std::string::npos);
  // Reports went to the base repository.
  for (const auto& run : github_->checkRuns()) EXPECT_EQ(run.repository, "octo/demo");

  // A check run's re-run reviews the head again; a merge-queue entry is reviewed against its base.
  auto rerun = GithubTestKit::examples("check_run", "rerequested").at(0);
  rerun->getObject("check_run")->set("head_sha", head);
  rerun->getObject("check_run")->set("pull_requests", Poco::JSON::Array::Ptr(new Poco::JSON::Array));
  rerun->set("repository",
             Poco::JSON::Parser().parse(opened).extract<Poco::JSON::Object::Ptr>()->getObject("repository"));
  const std::string rerunBody = GithubTestKit::stringify(rerun);
  const int configureUpdates = runs["EkaCI: Configure"].updates;
  EXPECT_EQ(deliver(s->httpPort(), "check_run", "a-3", rerunBody, sign(rerunBody)).status, 202);
  auto again = waitForRuns(head, [&](const auto& r) {
    auto it = r.find("EkaCI: Configure");
    return it != r.end() && it->second.updates >= configureUpdates + 2 && it->second.status == "completed";
  });
  EXPECT_GE(again["EkaCI: Configure"].updates, configureUpdates + 2) << "not run again";

  auto group = GithubTestKit::examples("merge_group", "checks_requested").at(0);
  group->getObject("merge_group")->set("head_sha", sha("build-fix"));
  group->getObject("merge_group")->set("base_sha", sha("still-broken"));
  group->set("repository",
             Poco::JSON::Parser().parse(opened).extract<Poco::JSON::Object::Ptr>()->getObject("repository"));
  Poco::JSON::Object::Ptr installation = new Poco::JSON::Object;
  installation->set("id", 77);
  group->set("installation", installation);
  const std::string groupBody = GithubTestKit::stringify(group);
  EXPECT_EQ(deliver(s->httpPort(), "merge_group", "a-4", groupBody, sign(groupBody)).status, 202);
  auto queued = waitForRuns(sha("build-fix"), [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  EXPECT_EQ(queued["EkaCI: Evaluate Job (packages)"].conclusion, "success") << s->stderrText();
  expectNoDuplicatesAndEveryRequestDocumented();
  EXPECT_EQ(s->stop(SIGTERM), 0);
}

TEST_F(GithubEndToEndTest, AMergeQueueEntryWaitsForItsPullRequestsAuthorToBeApproved) {
  auto s = server({}, "merge_queue_require_approval = true\n");
  ASSERT_TRUE(s->start()) << s->stderrText();
  auto opened = Poco::JSON::Parser()
                    .parse(pullRequest("opened", 104, "still-broken", "build-fix"))
                    .extract<Poco::JSON::Object::Ptr>();
  opened->getObject("pull_request")->getObject("user")->set("login", "newcomer");
  const std::string openedBody = GithubTestKit::stringify(opened);
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "q-1", openedBody, sign(openedBody)).status, 202);

  // GitHub's example entry, for pull request 104 (its head_ref names it).
  const std::string groupHead = sha("size-growth");
  auto group = GithubTestKit::examples("merge_group", "checks_requested").at(0);
  group->getObject("merge_group")->set("head_sha", groupHead);
  group->getObject("merge_group")->set("base_sha", sha("build-fix"));
  group->set("repository", opened->getObject("repository"));
  group->set("installation", opened->getObject("installation"));
  const std::string groupBody = GithubTestKit::stringify(group);
  ASSERT_EQ(deliver(s->httpPort(), "merge_group", "q-2", groupBody, sign(groupBody)).status, 202);
  auto held = waitForRuns(
      groupHead, [](const auto& r) { return !r.empty(); }, 60s);
  ASSERT_EQ(held.count("EkaCI: Approval Required (User: @newcomer)"), 1u) << s->stderrText();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(github_->checkRunsOf(groupHead).count("EkaCI: Configure"), 0u) << "built without approval";

  auto approved = testsupport::runCommand({EKACI_CLI_BINARY, "--socket", s->socketPath(), "approve", "newcomer"},
                                          testsupport::isolatedEnvironment(dir_.path()), 30s);
  ASSERT_EQ(approved.status, 0) << approved.err;
  ASSERT_EQ(deliver(s->httpPort(), "merge_group", "q-3", groupBody, sign(groupBody)).status, 202);
  auto built = waitForRuns(groupHead, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  EXPECT_TRUE(concluded(built, "EkaCI: Evaluate Job (packages)")) << s->stderrText();
}

}  // namespace
}  // namespace ekaci::integration
