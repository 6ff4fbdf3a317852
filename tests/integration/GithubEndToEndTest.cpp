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
using testsupport::ServerProcess;

constexpr const char* kSecret = "e2e-webhook-secret";

class GithubEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    repoDir_ = new testsupport::TempDir;
    auto made = testsupport::runCommand(
        {"bash", EKACI_SOURCE_DIR "/examples/demo/make-demo-repo.sh", (repoDir_->path() / "repo").string()},
        {{"PATH", "/usr/bin:/bin"}, {"HOME", repoDir_->path().string()}});
    ASSERT_EQ(made.status, 0) << made.err;
    validator_ = testsupport::OpenApiValidator::load(GithubTestKit::openApiPath()).release();
    ASSERT_NE(validator_, nullptr) << "run scripts/setup: " << GithubTestKit::openApiPath();
  }
  static void TearDownTestSuite() {
    delete repoDir_;
    repoDir_ = nullptr;
  }

  void SetUp() override {
    key_ = GithubTestKit::generateKey();
    github_ = std::make_unique<FakeGithub>("4242", key_.publicPem, 77);
  }

  static std::string repo() { return (repoDir_->path() / "repo").string(); }
  static std::string sha(const std::string& revision) {
    auto r = testsupport::runCommand({"git", "-C", repo(), "rev-parse", revision}, {{"PATH", "/usr/bin:/bin"}});
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

  std::unique_ptr<ServerProcess> server(std::vector<std::string> extra = {}) {
    Poco::JSON::Object::Ptr secrets = new Poco::JSON::Object;
    secrets->set("GITHUB_APP_ID", "4242");
    secrets->set("GITHUB_APP_PRIVATE_KEY", key_.privatePem);
    auto appFile = dir_.write("github-app.json", GithubTestKit::stringify(secrets), 0600);
    auto config = dir_.write("ekaci.toml",
                             "change_summary_debounce_seconds = 0\n"
                             "[web]\nport = 0\npublic_url = \"https://ci.example.org\"\n"
                             "[builders]\nmax_jobs = 2\nnix_options = [\"substituters=\"]\n"
                             "[security]\nwebhook_secret = \"" +
                                 std::string(kSecret) +
                                 "\"\n"
                                 "[[github_apps]]\nid = \"e2e\"\napi_url = \"" +
                                 github_->apiUrl() +
                                 "\"\n"
                                 "credentials = { file = { path = \"" +
                                 appFile.string() + "\" } }\n",
                             0644);
    std::vector<std::string> arguments = {"--config", config.string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return std::make_unique<ServerProcess>(ServerProcess::Options{
        EKACI_SERVER_BINARY, arguments, testsupport::isolatedEnvironment(dir_.path()), dir_.path()});
  }

  // GitHub's example payload of a pull_request `action`, made to describe pull request
  // `number` of the demo repository from `base` to `head`.
  static std::string pullRequest(const std::string& action, int number, const std::string& base,
                                 const std::string& head, bool merged = false) {
    auto examples = GithubTestKit::examples("pull_request", action);
    EXPECT_FALSE(examples.empty()) << action;
    auto payload = examples.at(0);
    auto repository = payload->getObject("repository");
    repository->set("name", "demo");
    repository->set("full_name", "octo/demo");
    repository->getObject("owner")->set("login", "octo");
    repository->set("clone_url", repo());
    repository->set("default_branch", "main");
    auto pr = payload->getObject("pull_request");
    pr->set("number", number);
    pr->set("merged", merged);
    pr->getObject("base")->set("sha", sha(base));
    pr->getObject("base")->set("ref", "main");
    pr->getObject("base")->set("repo", repository);
    pr->getObject("head")->set("sha", sha(head));
    pr->getObject("head")->set("ref", "feature");
    pr->getObject("head")->set("repo", repository);
    payload->set("number", number);
    Poco::JSON::Object::Ptr installation = new Poco::JSON::Object;
    installation->set("id", 77);
    payload->set("installation", installation);
    return GithubTestKit::stringify(payload);
  }

  struct Answer {
    int status = 0;
    std::string body;
  };
  static Answer deliver(std::uint16_t port, const std::string& event, const std::string& delivery,
                        const std::string& body, const std::string& signature) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/github/webhook",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("X-GitHub-Event", event);
    request.set("X-GitHub-Delivery", delivery);
    if (!signature.empty()) request.set("X-Hub-Signature-256", signature);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    Answer answer;
    answer.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, answer.body);
    return answer;
  }
  static std::string sign(const std::string& body) {
    // The same HMAC GitHub computes, made here with OpenSSL's command line, independent of
    // the code under test.
    std::string path = "/tmp/ekaci-e2e-body-" + std::to_string(::getpid());
    {
      std::ofstream out(path, std::ios::binary);
      out << body;
    }
    auto r = testsupport::runCommand({"/usr/bin/openssl", "dgst", "-sha256", "-hmac", kSecret, "-r", path}, {}, 10s);
    std::filesystem::remove(path);
    return "sha256=" + r.out.substr(0, 64);
  }

  // Waits until `done` holds for the check runs of `head` (or the time is up).
  std::map<std::string, FakeGithub::CheckRun> waitForRuns(
      const std::string& head, const std::function<bool(const std::map<std::string, FakeGithub::CheckRun>&)>& done,
      std::chrono::seconds timeout = 240s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      auto runs = github_->checkRunsOf(head);
      if (done(runs)) return runs;
      std::this_thread::sleep_for(200ms);
    }
    return github_->checkRunsOf(head);
  }
  static bool concluded(const std::map<std::string, FakeGithub::CheckRun>& runs, const std::string& name) {
    auto it = runs.find(name);
    return it != runs.end() && it->second.status == "completed";
  }

  void expectNoDuplicatesAndEveryRequestDocumented() {
    std::map<std::pair<std::string, std::string>, int> created;
    for (const auto& run : github_->checkRuns()) ++created[{run.headSha, run.name}];
    for (const auto& [key, n] : created) EXPECT_EQ(n, 1) << key.second << " created " << n << " times on " << key.first;
    for (const auto& request : github_->requests()) {
      auto problems = validator_->check(request.method, request.target, request.body);
      EXPECT_TRUE(problems.empty()) << request.method << " " << request.target << ": " << problems.front();
    }
  }
  void expectTokensNowhere(const ServerProcess& process) {
    const std::string stderrText = process.stderrText();
    std::ifstream db(dir_.path() / "data" / "ekaci" / "sqlite.db", std::ios::binary);
    std::stringstream dump;
    dump << db.rdbuf();
    const auto tokens = github_->issuedTokens();
    EXPECT_FALSE(tokens.empty());
    for (const auto& token : tokens) {
      EXPECT_EQ(stderrText.find(token), std::string::npos) << "an installation token is in the server's log";
      EXPECT_EQ(dump.str().find(token), std::string::npos) << "an installation token is in the database";
    }
    EXPECT_EQ(stderrText.find("BEGIN RSA PRIVATE KEY"), std::string::npos);
  }

  testsupport::TempDir dir_;
  GithubTestKit::KeyPair key_;
  std::unique_ptr<FakeGithub> github_;
  static testsupport::TempDir* repoDir_;
  static testsupport::OpenApiValidator* validator_;
};
testsupport::TempDir* GithubEndToEndTest::repoDir_ = nullptr;
testsupport::OpenApiValidator* GithubEndToEndTest::validator_ = nullptr;

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

}  // namespace
}  // namespace ekaci::integration
