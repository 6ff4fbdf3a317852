// A GitHub pull request, end to end: the real server binary, a local GitHub that records
// every request (each checked against GitHub's published REST description), the demo
// repository as the pull request's source, and GitHub's own webhook payloads, signed.
#include <Poco/JSON/Object.h>
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

  std::unique_ptr<ServerProcess> server() {
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
    return std::make_unique<ServerProcess>(ServerProcess::Options{EKACI_SERVER_BINARY,
                                                                  {"--config", config.string()},
                                                                  testsupport::isolatedEnvironment(dir_.path()),
                                                                  dir_.path()});
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

  // Closed: nothing of it stays open.
  const std::string closed = pullRequest("closed", 7, "docs", "build-fix");
  EXPECT_EQ(deliver(s->httpPort(), "pull_request", "d-3", closed, sign(closed)).status, 202);
  std::this_thread::sleep_for(2s);
  for (const auto& [name, run] : github_->checkRunsOf(fixed)) EXPECT_EQ(run.status, "completed") << name;

  // An event the server does not act on is acknowledged, never an error.
  auto star = GithubTestKit::stringify(GithubTestKit::examples("star").at(0));
  EXPECT_EQ(deliver(s->httpPort(), "star", "d-4", star, sign(star)).status, 202);

  auto metrics = testsupport::httpRequest(s->httpPort(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("eka_ci_webhook_signature_failures_total{reason=\"invalid\"} 2"), std::string::npos)
      << metrics.body.substr(0, 2000);
  EXPECT_NE(metrics.body.find("eka_ci_webhook_signature_failures_total{reason=\"missing\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_webhook_duplicates_total 1"), std::string::npos);
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

}  // namespace
}  // namespace ekaci::integration
