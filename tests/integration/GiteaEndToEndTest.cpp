// A Gitea pull request, end to end: the real server binary, a local Gitea that checks every
// request against Gitea's swagger description, the demo repository, and payloads shaped as
// Gitea documents them, signed as Gitea signs them.
#include "tests/integration/StatusForgeServerTest.h"
#include "tests/support/FakeGitea.h"

namespace ekaci::integration {
namespace {

using GiteaEndToEndTest = StatusForgeServerTest;

std::vector<std::string> reactionsOn(const testsupport::FakeGitea& gitea, std::int64_t comment) {
  std::vector<std::string> out;
  for (const auto& r : gitea.reactions()) {
    if (r.commentId == comment) out.push_back(r.content);
  }
  return out;
}

TEST_F(GiteaEndToEndTest, APullRequestGetsStatusesOneSummaryCommentAndAMergeFromAComment) {
  testsupport::FakeGitea gitea("gitea-token-e2e");
  auto s = serverWith("[[gitea_instances]]\ndomain = \"git.example.org\"\napi_url = \"" + gitea.apiUrl() +
                      "\"\ntoken = \"gitea-token-e2e\"\n");
  ASSERT_TRUE(s->start()) << s->stderrText();
  const auto port = s->httpPort();

  // Hostile deliveries first: none may start anything.
  const std::string opened = giteaPullRequest("opened", 7, "docs", "build-break");
  EXPECT_EQ(toGitea(port, "pull_request", "g-unsigned", opened, "").status, 401);
  EXPECT_EQ(toGitea(port, "pull_request", "g-forged", opened, std::string(64, '0')).status, 401);
  EXPECT_EQ(toGitea(port, "pull_request", "g-tampered", opened + " ", giteaSignature(opened)).status, 401);
  EXPECT_EQ(toGitea(port, "pull_request", "g-github-form", opened, sign(opened)).status, 401);

  ASSERT_EQ(toGitea(port, "pull_request", "g-1", opened, giteaSignature(opened)).status, 202);
  EXPECT_EQ(toGitea(port, "pull_request", "g-1", opened, giteaSignature(opened)).status, 200) << "a redelivery";
  const std::string broken = sha("build-break");
  ASSERT_TRUE(waitUntil([&] {
    return gitea.statusesOf(broken).count("EkaCI: Change Summary") == 1 && !gitea.comments().empty();
  })) << s->stderrText();
  auto statuses = gitea.statusesOf(broken);
  EXPECT_EQ(statuses["EkaCI: Configure"].state, "success");
  EXPECT_EQ(statuses["EkaCI: Evaluate Job (packages)"].state, "failure");
  EXPECT_EQ(statuses["app-c / Changed (packages)"].state, "failure");
  EXPECT_EQ(statuses["app-c / Changed (packages)"].targetUrl.rfind("https://ci.example.org/logs/", 0), 0u);
  EXPECT_EQ(statuses["EkaCI: Change Summary"].state, "success");
  for (const auto& [name, status] : statuses) {
    EXPECT_TRUE(name.rfind("EkaCI: ", 0) == 0 || name == "app-c / Changed (packages)") << name;
    EXPECT_LE(status.description.size(), 255u);
  }
  ASSERT_EQ(gitea.comments().size(), 1u);
  const auto summary = gitea.comments()[0];
  EXPECT_EQ(summary.number, 7);
  EXPECT_EQ(summary.repository, "nix/pkgs");
  EXPECT_NE(summary.body.find("app-c"), std::string::npos) << summary.body;

  // A push: the new head is reviewed, and the summary comment is edited in place.
  const std::string fixed = sha("build-fix");
  const std::string pushed = giteaPullRequest("synchronized", 7, "docs", "build-fix");
  ASSERT_EQ(toGitea(port, "pull_request_sync", "g-2", pushed, giteaSignature(pushed)).status, 202);
  ASSERT_TRUE(waitUntil([&] {
    return gitea.statusesOf(fixed).count("EkaCI: Change Summary") == 1 && gitea.comments().at(0).edits >= 1;
  })) << s->stderrText();
  EXPECT_EQ(gitea.statusesOf(fixed)["EkaCI: Evaluate Job (packages)"].state, "success");
  EXPECT_EQ(gitea.comments().size(), 1u) << "one summary comment per pull request";
  EXPECT_EQ(gitea.comments().at(0).id, summary.id);

  // A stranger's merge command is refused; a writer's merges the reviewed head.
  gitea.setPermission("bob", "write");
  gitea.setPullHead(7, fixed);
  gitea.setCommitDate(fixed, isoNow(-3600s));
  gitea.addComment("nix/pkgs", 7, 904, "@eka-ci merge");
  gitea.addComment("nix/pkgs", 7, 905, "@eka-ci merge");
  const std::string stranger = giteaComment(7, "mallory", "@eka-ci merge", 904, isoNow());
  ASSERT_EQ(toGitea(port, "issue_comment", "g-3", stranger, giteaSignature(stranger)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return !reactionsOn(gitea, 904).empty(); }, 60s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(gitea, 904), std::vector<std::string>{"-1"});
  ASSERT_TRUE(waitUntil(
      [&] {
        for (const auto& c : gitea.comments()) {
          if (c.body.find("@mallory") != std::string::npos) return true;
        }
        return false;
      },
      30s))
      << "the refusal is explained in a comment";
  const std::string command = giteaComment(7, "bob", "@eka-ci merge", 905, isoNow());
  ASSERT_EQ(toGitea(port, "pull_request_comment", "g-4", command, giteaSignature(command)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return reactionsOn(gitea, 905).size() == 2; }, 60s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(gitea, 905), (std::vector<std::string>{"+1", "rocket"}));
  ASSERT_EQ(gitea.merges().size(), 1u);
  EXPECT_EQ(gitea.merges()[0].number, 7);
  EXPECT_EQ(gitea.merges()[0].method, "squash");
  EXPECT_EQ(gitea.merges()[0].sha, fixed);

  for (const auto& problem : gitea.problems()) ADD_FAILURE() << "not as Gitea documents it: " << problem;
  for (const auto& request : gitea.requests()) {
    // The one refusal expected: mallory is nobody's collaborator.
    const bool strangersPermission = request.target.find("/collaborators/mallory/") != std::string::npos;
    EXPECT_TRUE(request.status < 400 || (strangersPermission && request.status == 404))
        << request.method << " " << request.target << " answered " << request.status;
  }
  EXPECT_EQ(s->stderrText().find("gitea-token-e2e"), std::string::npos) << "the token is in the server's log";
}

}  // namespace
}  // namespace ekaci::integration
