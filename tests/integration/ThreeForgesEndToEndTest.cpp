// One report, three forges: the same pull request on GitHub, Gitea and GitLab, reviewed by
// one server, tells each forge the same thing — the same reports with the same outcomes,
// and the same change summary (a check run on GitHub, a comment on Gitea, a note on GitLab).
#include "tests/integration/StatusForgeServerTest.h"
#include "tests/support/FakeGitea.h"
#include "tests/support/FakeGitlab.h"

namespace ekaci::integration {
namespace {

using ThreeForgesEndToEndTest = StatusForgeServerTest;

// Each forge's words for a report's outcome, in three: running, passed, failed.
std::string outcome(const std::string& state) {
  if (state == "success" || state == "neutral") return "passed";
  if (state == "failure" || state == "failed" || state == "error") return "failed";
  return "running";
}

TEST_F(ThreeForgesEndToEndTest, TheSameReviewReachesEveryForgeTheSame) {
  testsupport::FakeGitea gitea("gitea-token-3");
  testsupport::FakeGitlab gitlab("glpat-3", 14, "nix/infra/pkgs");
  auto s =
      serverWith(githubApps() + "[[gitea_instances]]\ndomain = \"git.example.org\"\napi_url = \"" + gitea.apiUrl() +
                 "\"\ntoken = \"gitea-token-3\"\n[[gitlab_instances]]\ndomain = "
                 "\"gitlab.example.org\"\napi_url = \"" +
                 gitlab.apiUrl() + "\"\ntoken = \"glpat-3\"\n");
  ASSERT_TRUE(s->start()) << s->stderrText();
  const auto port = s->httpPort();
  const std::string head = sha("build-break");

  const std::string onGithub = pullRequest("opened", 7, "docs", "build-break");
  ASSERT_EQ(deliver(port, "pull_request", "t-1", onGithub, sign(onGithub)).status, 202);
  const std::string onGitea = giteaPullRequest("opened", 7, "docs", "build-break");
  ASSERT_EQ(toGitea(port, "pull_request", "t-2", onGitea, giteaSignature(onGitea)).status, 202);
  const std::string onGitlab = gitlabMergeRequest("open", 3, "base-docs", "build-break");
  ASSERT_EQ(toGitlab(port, "Merge Request Hook", "t-3", onGitlab, kSecret).status, 202);

  const std::string summaryName = "EkaCI: Change Summary";
  ASSERT_TRUE(waitUntil([&] {
    const auto runs = github_->checkRunsOf(head);
    auto run = runs.find(summaryName);
    return run != runs.end() && run->second.status == "completed" && !gitea.comments().empty() &&
           !gitlab.notes().empty() && gitea.statusesOf(head).count(summaryName) == 1 &&
           gitlab.statusesOf(head).count(summaryName) == 1;
  })) << s->stderrText();
  std::this_thread::sleep_for(1s);  // anything still in flight lands

  std::map<std::string, std::string> github, giteaSaw, gitlabSaw;
  for (const auto& [name, run] : github_->checkRunsOf(head)) {
    github[name] = outcome(run.status == "completed" ? run.conclusion : run.status);
  }
  for (const auto& [name, status] : gitea.statusesOf(head)) giteaSaw[name] = outcome(status.state);
  for (const auto& [name, status] : gitlab.statusesOf(head)) gitlabSaw[name] = outcome(status.state);
  EXPECT_EQ(github.at("app-c / Changed (packages)"), "failed");
  EXPECT_EQ(giteaSaw, github);
  EXPECT_EQ(gitlabSaw, github);

  const std::string summary = github_->checkRunsOf(head).at(summaryName).summary;
  EXPECT_NE(summary.find("app-c"), std::string::npos);
  EXPECT_EQ(gitea.comments().at(0).body, summary);
  EXPECT_EQ(gitlab.notes().at(0).body, summary);
  EXPECT_TRUE(gitea.problems().empty());
  EXPECT_TRUE(gitlab.problems().empty());
}

}  // namespace
}  // namespace ekaci::integration
