// A GitLab merge request, end to end: the real server binary, a strict local GitLab written
// from GitLab's REST documentation, the demo repository, and hooks shaped as GitLab
// documents them, with the secret token GitLab sends.
#include "tests/integration/StatusForgeServerTest.h"
#include "tests/support/FakeGitlab.h"

namespace ekaci::integration {
namespace {

using GitlabEndToEndTest = StatusForgeServerTest;

std::vector<std::string> awardsOn(const testsupport::FakeGitlab& gitlab, std::int64_t note) {
  std::vector<std::string> out;
  for (const auto& a : gitlab.awards()) {
    if (a.noteId == note) out.push_back(a.name);
  }
  return out;
}

TEST_F(GitlabEndToEndTest, AMergeRequestGetsStatusesOneSummaryNoteAndAMergeFromANote) {
  testsupport::FakeGitlab gitlab("glpat-e2e-token", 14, "nix/infra/pkgs");
  auto s = serverWith("[[gitlab_instances]]\ndomain = \"gitlab.example.org\"\napi_url = \"" + gitlab.apiUrl() +
                      "\"\ntoken = \"glpat-e2e-token\"\n");
  ASSERT_TRUE(s->start()) << s->stderrText();
  const auto port = s->httpPort();

  const std::string opened = gitlabMergeRequest("open", 3, "base-docs", "build-break");
  EXPECT_EQ(toGitlab(port, "Merge Request Hook", "u-none", opened, "").status, 401);
  EXPECT_EQ(toGitlab(port, "Merge Request Hook", "u-wrong", opened, "e2e-webhook-secreT").status, 401);
  EXPECT_EQ(toGitlab(port, "Merge Request Hook", "u-prefix", opened, "e2e-webhook").status, 401);

  ASSERT_EQ(toGitlab(port, "Merge Request Hook", "u-1", opened, kSecret).status, 202);
  EXPECT_EQ(toGitlab(port, "Merge Request Hook", "u-1", opened, kSecret).status, 200) << "a redelivery";
  const std::string broken = sha("build-break");
  ASSERT_TRUE(waitUntil([&] {
    return gitlab.statusesOf(broken).count("EkaCI: Change Summary") == 1 && !gitlab.notes().empty();
  })) << s->stderrText();
  auto statuses = gitlab.statusesOf(broken);
  EXPECT_EQ(statuses["EkaCI: Configure"].state, "success");
  EXPECT_EQ(statuses["EkaCI: Evaluate Job (packages)"].state, "failed");
  EXPECT_EQ(statuses["app-c / Changed (packages)"].state, "failed");
  EXPECT_EQ(statuses["EkaCI: Change Summary"].state, "success");
  for (const auto& [name, status] : statuses) {
    EXPECT_TRUE(name.rfind("EkaCI: ", 0) == 0 || name == "app-c / Changed (packages)") << name;
  }
  ASSERT_EQ(gitlab.notes().size(), 1u);
  const auto summary = gitlab.notes()[0];
  EXPECT_EQ(summary.mergeRequest, 3);
  EXPECT_NE(summary.body.find("app-c"), std::string::npos) << summary.body;

  // New commits (oldrev): the new head is reviewed and the note edited in place.
  const std::string fixed = sha("build-fix");
  const std::string pushed = gitlabMergeRequest("update", 3, "base-docs", "build-fix", true);
  ASSERT_EQ(toGitlab(port, "Merge Request Hook", "u-2", pushed, kSecret).status, 202);
  ASSERT_TRUE(waitUntil([&] {
    return gitlab.statusesOf(fixed).count("EkaCI: Change Summary") == 1 && gitlab.notes().at(0).edits >= 1;
  })) << s->stderrText();
  EXPECT_EQ(gitlab.statusesOf(fixed)["EkaCI: Evaluate Job (packages)"].state, "success");
  EXPECT_EQ(gitlab.notes().size(), 1u) << "one summary note per merge request";

  // A guest cannot merge; a developer can, with the reviewed head.
  gitlab.setMember("guest", 10);
  gitlab.setMember("dev", 30);
  gitlab.setMergeRequestHead(3, fixed);
  gitlab.setCommitDate(fixed, isoNow(-3600s));
  gitlab.addNote(3, 7001, "@eka-ci merge");
  gitlab.addNote(3, 7002, "@eka-ci merge");
  const std::string refused = gitlabNote(3, "guest", "@eka-ci merge", 7001, "build-fix");
  ASSERT_EQ(toGitlab(port, "Note Hook", "u-3", refused, kSecret).status, 202);
  ASSERT_TRUE(waitUntil([&] { return !awardsOn(gitlab, 7001).empty(); }, 60s)) << s->stderrText();
  EXPECT_EQ(awardsOn(gitlab, 7001), std::vector<std::string>{"thumbsdown"});
  ASSERT_TRUE(waitUntil(
      [&] {
        for (const auto& n : gitlab.notes()) {
          if (n.body.find("@guest") != std::string::npos) return true;
        }
        return false;
      },
      30s))
      << "the refusal is explained in a note";
  const std::string command = gitlabNote(3, "dev", "@eka-ci merge", 7002, "build-fix");
  ASSERT_EQ(toGitlab(port, "Note Hook", "u-4", command, kSecret).status, 202);
  ASSERT_TRUE(waitUntil([&] { return awardsOn(gitlab, 7002).size() == 2; }, 60s)) << [&] {
    std::string seen = s->stderrText();
    for (const auto& r : gitlab.requests()) seen += r.method + " " + r.target + " " + std::to_string(r.status) + "\n";
    return seen;
  }();
  EXPECT_EQ(awardsOn(gitlab, 7002), (std::vector<std::string>{"thumbsup", "rocket"}));
  ASSERT_EQ(gitlab.merges().size(), 1u);
  EXPECT_EQ(gitlab.merges()[0].mergeRequest, 3);
  EXPECT_EQ(gitlab.merges()[0].sha, fixed);
  EXPECT_TRUE(gitlab.merges()[0].squash);

  for (const auto& problem : gitlab.problems()) ADD_FAILURE() << "not as GitLab documents it: " << problem;
  for (const auto& request : gitlab.requests()) {
    EXPECT_LT(request.status, 400) << request.method << " " << request.target << " answered " << request.status;
  }
  EXPECT_EQ(s->stderrText().find("glpat-e2e-token"), std::string::npos) << "the token is in the server's log";
}

// With require_approval, a fork's merge request waits for its author's approval — also when
// a maintainer pushes to it and GitLab's hook names the pusher, not the author.
TEST_F(GitlabEndToEndTest, AForksAuthorStaysTheOneWhoNeedsApproval) {
  testsupport::FakeGitlab gitlab("glpat-e2e-token", 14, "nix/infra/pkgs");
  auto s = serverWith("[[gitlab_instances]]\ndomain = \"gitlab.example.org\"\napi_url = \"" + gitlab.apiUrl() +
                          "\"\ntoken = \"glpat-e2e-token\"\n",
                      "require_approval = true\n");
  ASSERT_TRUE(s->start()) << s->stderrText();
  const std::string held = "EkaCI: Approval Required (User: @alice)";
  const std::string opened = gitlabMergeRequest("open", 5, "base-v1", "bump", false, true);
  ASSERT_EQ(toGitlab(s->httpPort(), "Merge Request Hook", "f-1", opened, kSecret).status, 202);
  ASSERT_TRUE(waitUntil([&] { return gitlab.statusesOf(sha("bump")).count(held) == 1; }, 60s)) << s->stderrText();
  // A maintainer pushes to the fork's branch: the hook's user is the maintainer.
  const std::string pushed = gitlabMergeRequest("update", 5, "base-v1", "add-remove", true, true, "maintainer");
  ASSERT_EQ(toGitlab(s->httpPort(), "Merge Request Hook", "f-2", pushed, kSecret).status, 202);
  ASSERT_TRUE(waitUntil([&] { return gitlab.statusesOf(sha("add-remove")).count(held) == 1; }, 60s)) << s->stderrText();
  std::this_thread::sleep_for(1s);
  for (const auto& head : {sha("bump"), sha("add-remove")}) {
    for (const auto& [name, status] : gitlab.statusesOf(head)) {
      EXPECT_EQ(name.find("Evaluate Job"), std::string::npos) << "an unapproved fork was evaluated: " << name;
    }
  }
  EXPECT_TRUE(gitlab.problems().empty());
}

}  // namespace
}  // namespace ekaci::integration
