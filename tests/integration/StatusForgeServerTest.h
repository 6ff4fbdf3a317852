#pragma once

// What the Gitea and GitLab end-to-end tests share with GitHub's: the real server binary,
// the demo repository (with branches at v1 and docs for GitLab, whose webhooks name the
// target branch rather than a commit), the forges' documented webhook payloads from
// tests/data made to describe the demo repository, and deliveries to the server's routes.
#include <fstream>
#include <sstream>

#include "tests/integration/GithubServerTest.h"

namespace ekaci::integration {

class StatusForgeServerTest : public GithubServerTest {
 public:
  static void SetUpTestSuite() {
    GithubServerTest::SetUpTestSuite();
    for (const char* base : {"v1", "docs"}) {
      auto made = testsupport::runCommand({"git", "-C", repo(), "branch", "-f", std::string("base-") + base, base},
                                          {{"PATH", "/usr/bin:/bin"}});
      ASSERT_EQ(made.status, 0) << made.err;
    }
  }

  // The server with `tables` (forge instances) after [security] and top-level `settings`.
  std::unique_ptr<testsupport::ServerProcess> serverWith(const std::string& tables, const std::string& settings = "") {
    auto config = dir_.write("ekaci.toml",
                             "change_summary_debounce_seconds = 0\n" + settings +
                                 "[web]\nport = 0\npublic_url = \"https://ci.example.org\"\n"
                                 "[builders]\nmax_jobs = 2\nnix_options = [\"substituters=\"]\n"
                                 "[security]\nwebhook_secret = \"" +
                                 std::string(kSecret) + "\"\n" + tables,
                             0644);
    return std::make_unique<testsupport::ServerProcess>(
        testsupport::ServerProcess::Options{EKACI_SERVER_BINARY,
                                            {"--config", config.string()},
                                            testsupport::isolatedEnvironment(dir_.path()),
                                            dir_.path()});
  }

  static Poco::JSON::Object::Ptr fixture(const std::string& name) {
    std::ifstream in(std::string(EKACI_SOURCE_DIR) + "/tests/data/" + name);
    std::stringstream text;
    text << in.rdbuf();
    Poco::JSON::Parser parser;
    return parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  }

  static Answer post(std::uint16_t port, const std::string& path,
                     const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) request.set(name, value);
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

  // Gitea's payloads, made to describe pull request `number` of nix/pkgs (the demo repository).
  static void giteaRepository(Poco::JSON::Object::Ptr repository) {
    repository->set("clone_url", repo());
    repository->set("full_name", "nix/pkgs");
    repository->set("name", "pkgs");
  }
  static std::string giteaPullRequest(const std::string& action, int number, const std::string& base,
                                      const std::string& head) {
    auto payload = fixture("gitea/pull_request_opened.json");
    payload->set("action", action);
    payload->set("number", number);
    giteaRepository(payload->getObject("repository"));
    auto pr = payload->getObject("pull_request");
    pr->set("number", number);
    pr->getObject("base")->set("sha", sha(base));
    pr->getObject("head")->set("sha", sha(head));
    giteaRepository(pr->getObject("base")->getObject("repo"));
    giteaRepository(pr->getObject("head")->getObject("repo"));
    return testsupport::GithubTestKit::stringify(payload);
  }
  static std::string giteaComment(int number, const std::string& login, const std::string& body, std::int64_t id,
                                  const std::string& createdAt) {
    auto payload = fixture("gitea/issue_comment_created.json");
    giteaRepository(payload->getObject("repository"));
    payload->getObject("issue")->set("number", number);
    auto comment = payload->getObject("comment");
    comment->set("id", id);
    comment->set("body", body);
    comment->set("created_at", createdAt);
    comment->getObject("user")->set("login", login);
    comment->getObject("user")->set("id", 20000 + static_cast<std::int64_t>(std::hash<std::string>{}(login) % 1000));
    return testsupport::GithubTestKit::stringify(payload);
  }
  // The signature Gitea sends: the hex HMAC-SHA256, made with OpenSSL's command line.
  static std::string giteaSignature(const std::string& body) { return sign(body).substr(7); }
  static Answer toGitea(std::uint16_t port, const std::string& type, const std::string& delivery,
                        const std::string& body, const std::string& signature) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"X-Gitea-Event", type}, {"X-Gitea-Event-Type", type}, {"X-Gitea-Delivery", delivery}};
    if (!signature.empty()) headers.emplace_back("X-Gitea-Signature", signature);
    return post(port, "/gitea/webhook", headers, body);
  }

  // GitLab's payloads, made to describe merge request `iid` of project 14, nix/infra/pkgs.
  static void gitlabProject(Poco::JSON::Object::Ptr project) {
    project->set("git_http_url", repo());
    project->set("path_with_namespace", "nix/infra/pkgs");
    project->set("id", 14);
  }
  // `actor`: the user the hook names (the author when it is "alice", id 51, the fixture's author).
  static std::string gitlabMergeRequest(const std::string& action, int iid, const std::string& baseBranch,
                                        const std::string& head, bool newCommits = false, bool fromFork = false,
                                        const std::string& actor = "alice") {
    auto payload = fixture("gitlab/merge_request_open.json");
    gitlabProject(payload->getObject("project"));
    auto mr = payload->getObject("object_attributes");
    if (fromFork) mr->set("source_project_id", 99);
    if (actor != "alice") {
      payload->getObject("user")->set("username", actor);
      payload->getObject("user")->set("id", 52);
    }
    mr->set("action", action);
    mr->set("iid", iid);
    mr->set("target_branch", baseBranch);
    mr->getObject("last_commit")->set("id", sha(head));
    mr->getObject("source")->set("git_http_url", repo());
    mr->getObject("target")->set("git_http_url", repo());
    if (newCommits) mr->set("oldrev", sha(head + "~1"));
    return testsupport::GithubTestKit::stringify(payload);
  }
  static std::string gitlabNote(int iid, const std::string& username, const std::string& body, std::int64_t id,
                                const std::string& head) {
    auto payload = fixture("gitlab/note_merge_request.json");
    gitlabProject(payload->getObject("project"));
    const std::int64_t userId = 30000 + static_cast<std::int64_t>(std::hash<std::string>{}(username) % 1000);
    payload->getObject("user")->set("username", username);
    payload->getObject("user")->set("id", userId);
    auto note = payload->getObject("object_attributes");
    note->set("author_id", userId);
    note->set("id", id);
    note->set("note", body);
    note->set("created_at", isoNow());
    auto mr = payload->getObject("merge_request");
    mr->set("iid", iid);
    mr->getObject("last_commit")->set("id", sha(head));
    return testsupport::GithubTestKit::stringify(payload);
  }
  static Answer toGitlab(std::uint16_t port, const std::string& event, const std::string& uuid, const std::string& body,
                         const std::string& token) {
    std::vector<std::pair<std::string, std::string>> headers = {{"X-Gitlab-Event", event},
                                                                {"X-Gitlab-Event-UUID", uuid}};
    if (!token.empty()) headers.emplace_back("X-Gitlab-Token", token);
    return post(port, "/gitlab/webhook", headers, body);
  }
};

}  // namespace ekaci::integration
