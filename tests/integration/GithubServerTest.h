#pragma once

// What the GitHub end-to-end tests share: the real server binary configured for a local
// GitHub (FakeGithub, every request checkable against GitHub's published REST
// description), the demo repository as the pull requests' source, and GitHub's own example
// webhook payloads, edited to describe them and signed.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "tests/support/FakeGithub.h"
#include "tests/support/GithubTestKit.h"
#include "tests/support/OpenApiValidator.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::integration {

using namespace std::chrono_literals;

inline constexpr const char* kSecret = "e2e-webhook-secret";

class GithubServerTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    repoDir_ = new testsupport::TempDir;
    auto made = testsupport::runCommand(
        {"bash", EKACI_SOURCE_DIR "/examples/demo/make-demo-repo.sh", (repoDir_->path() / "repo").string()},
        {{"PATH", "/usr/bin:/bin"}, {"HOME", repoDir_->path().string()}});
    ASSERT_EQ(made.status, 0) << made.err;
    validator_ = testsupport::OpenApiValidator::load(testsupport::GithubTestKit::openApiPath());
    ASSERT_NE(validator_, nullptr) << "run scripts/setup: " << testsupport::GithubTestKit::openApiPath();
  }
  static void TearDownTestSuite() {
    delete repoDir_;
    repoDir_ = nullptr;
    validator_.reset();
  }

  void SetUp() override {
    key_ = testsupport::GithubTestKit::generateKey();
    github_ = std::make_unique<testsupport::FakeGithub>("4242", key_.publicPem, 77);
  }

  static std::string repo() { return (repoDir_->path() / "repo").string(); }
  static std::string sha(const std::string& revision) {
    auto r = testsupport::runCommand({"git", "-C", repo(), "rev-parse", revision}, {{"PATH", "/usr/bin:/bin"}});
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

  // `settings`: top-level configuration lines added before the tables.
  // The [[github_apps]] block of the local GitHub's app (its key in a credentials file).
  std::string githubApps() {
    Poco::JSON::Object::Ptr secrets = new Poco::JSON::Object;
    secrets->set("GITHUB_APP_ID", "4242");
    secrets->set("GITHUB_APP_PRIVATE_KEY", key_.privatePem);
    auto appFile = dir_.write("github-app.json", testsupport::GithubTestKit::stringify(secrets), 0600);
    return "[[github_apps]]\nid = \"e2e\"\napi_url = \"" + github_->apiUrl() +
           "\"\ncredentials = { file = { path = \"" + appFile.string() + "\" } }\n";
  }

  std::unique_ptr<testsupport::ServerProcess> server(std::vector<std::string> extra = {},
                                                     const std::string& settings = "") {
    auto config = dir_.write("ekaci.toml",
                             "change_summary_debounce_seconds = 0\n" + settings +
                                 "[web]\nport = 0\npublic_url = \"https://ci.example.org\"\n"
                                 "[builders]\nmax_jobs = 2\nnix_options = [\"substituters=\"]\n"
                                 "[security]\nwebhook_secret = \"" +
                                 std::string(kSecret) + "\"\n" + githubApps(),
                             0644);
    std::vector<std::string> arguments = {"--config", config.string()};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return std::make_unique<testsupport::ServerProcess>(testsupport::ServerProcess::Options{
        EKACI_SERVER_BINARY, arguments, testsupport::isolatedEnvironment(dir_.path()), dir_.path()});
  }

  // GitHub's example payload of a pull_request `action`, made to describe pull request
  // `number` of the demo repository from `base` to `head`.
  static std::string pullRequest(const std::string& action, int number, const std::string& base,
                                 const std::string& head, bool merged = false) {
    auto examples = testsupport::GithubTestKit::examples("pull_request", action);
    EXPECT_FALSE(examples.empty()) << action;
    auto payload = examples.at(0);
    auto repository = demoRepository(payload);
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
    return testsupport::GithubTestKit::stringify(payload);
  }

  // The payload's repository made the demo repository (octo/demo, cloned from the local
  // repository), and the delivery made one for the App's installation.
  static Poco::JSON::Object::Ptr demoRepository(Poco::JSON::Object::Ptr payload) {
    auto repository = payload->getObject("repository");
    repository->set("name", "demo");
    repository->set("full_name", "octo/demo");
    repository->getObject("owner")->set("login", "octo");
    repository->set("clone_url", repo());
    repository->set("default_branch", "main");
    Poco::JSON::Object::Ptr installation = new Poco::JSON::Object;
    installation->set("id", 77);
    payload->set("installation", installation);
    return repository;
  }

  // GitHub's example issue_comment `created` payload, made a comment by `login` (`type`
  // User or Bot) on pull request `number` of the demo repository, written at `createdAt`.
  static std::string issueComment(int number, const std::string& login, const std::string& body, std::int64_t commentId,
                                  const std::string& createdAt, const std::string& type = "User") {
    auto examples = testsupport::GithubTestKit::examples("issue_comment", "created");
    EXPECT_FALSE(examples.empty());
    auto payload = examples.at(0);
    demoRepository(payload);
    auto issue = payload->getObject("issue");
    issue->set("number", number);
    // What GitHub adds to the issue of a pull request's conversation.
    Poco::JSON::Object::Ptr pullRequest = new Poco::JSON::Object;
    pullRequest->set("url", "https://api.github.com/repos/octo/demo/pulls/" + std::to_string(number));
    pullRequest->set("html_url", "https://github.com/octo/demo/pull/" + std::to_string(number));
    issue->set("pull_request", pullRequest);
    auto comment = payload->getObject("comment");
    comment->set("id", commentId);
    comment->set("body", body);
    comment->set("created_at", createdAt);
    comment->set("updated_at", createdAt);
    auto user = comment->getObject("user");
    user->set("login", login);
    user->set("id", 10000 + static_cast<std::int64_t>(std::hash<std::string>{}(login) % 100000));
    user->set("type", type);
    return testsupport::GithubTestKit::stringify(payload);
  }
  // Now, as GitHub writes times, shifted by `offset`.
  static std::string isoNow(std::chrono::seconds offset = 0s) {
    const std::time_t t = std::time(nullptr) + offset.count();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    return std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0 ? "" : buffer;
  }
  // Waits until `done` holds (or the time is up); returns whether it did.
  static bool waitUntil(const std::function<bool()>& done, std::chrono::seconds timeout = 240s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (done()) return true;
      std::this_thread::sleep_for(200ms);
    }
    return done();
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
  std::map<std::string, testsupport::FakeGithub::CheckRun> waitForRuns(
      const std::string& head,
      const std::function<bool(const std::map<std::string, testsupport::FakeGithub::CheckRun>&)>& done,
      std::chrono::seconds timeout = 240s) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      auto runs = github_->checkRunsOf(head);
      if (done(runs)) return runs;
      std::this_thread::sleep_for(200ms);
    }
    return github_->checkRunsOf(head);
  }
  static bool concluded(const std::map<std::string, testsupport::FakeGithub::CheckRun>& runs, const std::string& name) {
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
  void expectTokensNowhere(const testsupport::ServerProcess& process) {
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
  testsupport::GithubTestKit::KeyPair key_;
  std::unique_ptr<testsupport::FakeGithub> github_;
  static inline testsupport::TempDir* repoDir_ = nullptr;
  static inline std::unique_ptr<testsupport::OpenApiValidator> validator_;
};

}  // namespace ekaci::integration
