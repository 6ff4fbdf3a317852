// Merging from a GitHub comment, end to end: the real server binary and the local GitHub,
// GitHub's own issue_comment payloads edited to carry each command, and the reactions,
// comments and PUT …/merge requests GitHub receives — each checked against GitHub's REST
// description.
#include <gtest/gtest.h>

#include "tests/integration/GithubServerTest.h"

namespace ekaci::integration {
namespace {

using GithubMergeEndToEndTest = GithubServerTest;

std::vector<std::string> reactionsOn(const testsupport::FakeGithub& github, std::int64_t commentId) {
  std::vector<std::string> out;
  for (const auto& r : github.reactions()) {
    if (r.commentId == commentId) out.push_back(r.content);
  }
  return out;
}

TEST_F(GithubMergeEndToEndTest, AMaintainerMergesFromACommentAndAStrangerIsTurnedAway) {
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  const std::string head = sha("bump");  // hello 2.12 -> 2.13; alice maintains hello in the base
  github_->setPullHead(11, head);
  github_->setCommitDate(head, isoNow(-3600s));
  const std::string opened = pullRequest("opened", 11, "v1", "bump");
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "m-1", opened, sign(opened)).status, 202);
  auto runs = waitForRuns(head, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  ASSERT_TRUE(concluded(runs, "EkaCI: Evaluate Job (packages)")) << s->stderrText();
  ASSERT_EQ(runs["EkaCI: Evaluate Job (packages)"].conclusion, "success");

  // Mentions in prose, other verbs and bots: nothing at all.
  for (const auto& [id, login, body, type] : std::vector<std::tuple<int, std::string, std::string, std::string>>{
           {601, "alice", "cc @eka-ci merge please", "User"},
           {602, "alice", "@eka-ci rebuild", "User"},
           {603, "dependabot[bot]", "@eka-ci merge", "Bot"}}) {
    const std::string c = issueComment(11, login, body, id, isoNow(), type);
    ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "m-c" + std::to_string(id), c, sign(c)).status, 202);
  }
  // A stranger: -1 and one comment saying why.
  const std::string stranger = issueComment(11, "mallory", "@eka-ci merge", 604, isoNow());
  ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "m-2", stranger, sign(stranger)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return !reactionsOn(*github_, 604).empty(); }, 30s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 604), std::vector<std::string>{"-1"});
  ASSERT_TRUE(waitUntil([&] { return github_->comments().size() == 1; }, 30s)) << [&] {
    std::string seen;
    for (const auto& r : github_->requests()) seen += r.method + " " + r.target + " " + std::to_string(r.status) + "\n";
    return seen;
  }();
  EXPECT_NE(github_->comments()[0].body.find("@mallory"), std::string::npos);
  EXPECT_NE(github_->comments()[0].body.find("`hello`"), std::string::npos) << github_->comments()[0].body;

  // The maintainer of the changed package: +1, the merge with the reviewed head, a rocket.
  const std::string maintainer = issueComment(11, "alice", "Thanks!\n@eka-ci merge squash\n", 605, isoNow());
  ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "m-3", maintainer, sign(maintainer)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return reactionsOn(*github_, 605).size() == 2; }, 60s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 605), (std::vector<std::string>{"+1", "rocket"}));
  ASSERT_EQ(github_->merges().size(), 1u);
  EXPECT_EQ(github_->merges()[0].number, 11);
  EXPECT_EQ(github_->merges()[0].method, "squash");
  EXPECT_EQ(github_->merges()[0].sha, head);
  EXPECT_TRUE(reactionsOn(*github_, 601).empty());
  EXPECT_TRUE(reactionsOn(*github_, 602).empty());
  EXPECT_TRUE(reactionsOn(*github_, 603).empty());

  auto eligibility = testsupport::httpRequest(s->httpPort(), "GET", "/v1/prs/octo/demo/11/merge-eligibility");
  EXPECT_EQ(eligibility.status, 200) << eligibility.body;
  EXPECT_NE(eligibility.body.find("\"changed_packages\":[\"hello\"]"), std::string::npos) << eligibility.body;
  // The API's writes need a token the administrator issued over the socket.
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {EKACI_CLI_BINARY, "--socket", s->socketPath()});
    return testsupport::runCommand(args, testsupport::isolatedEnvironment(dir_.path()), 30s);
  };
  const std::string autoMerge = "/v1/prs/octo/demo/11/enable-auto-merge";
  auto anonymous = testsupport::httpRequest(s->httpPort(), "POST", autoMerge, "{}");
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  auto forged = testsupport::httpRequest(s->httpPort(), "POST", autoMerge, "{}",
                                         {{"Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImEifQ."}});
  EXPECT_EQ(forged.status, 401);
  auto token = cli({"token", "mallory"});
  ASSERT_EQ(token.status, 0) << token.err;
  std::string bearer = token.out;
  while (!bearer.empty() && bearer.back() == '\n') bearer.pop_back();
  auto strangers =
      testsupport::httpRequest(s->httpPort(), "POST", autoMerge, "{}", {{"Authorization", "Bearer " + bearer}});
  EXPECT_EQ(strangers.status, 403) << strangers.body;
  // Maintainers: alice from the base's meta (recorded by the review), bob added by the administrator.
  auto added = cli({"maintainer", "add", "hello", "bob"});
  EXPECT_EQ(added.status, 0) << added.err;
  auto table = testsupport::httpRequest(s->httpPort(), "GET", "/v1/admin/attr-paths/hello/maintainers");
  EXPECT_NE(table.body.find(R"({"attr_path":"hello","login":"alice","source":"meta"})"), std::string::npos)
      << table.body;
  EXPECT_NE(table.body.find(R"({"attr_path":"hello","login":"bob","source":"admin"})"), std::string::npos);
  auto viaCli = cli({"merge-eligibility", "octo/demo#11"});
  EXPECT_EQ(viaCli.status, 0) << viaCli.err;
  EXPECT_NE(viaCli.out.find("\"reason\":\"the pull request is not open\""), std::string::npos) << viaCli.out;

  auto metrics = testsupport::httpRequest(s->httpPort(), "GET", "/v1/metrics");
  EXPECT_NE(metrics.body.find("eka_ci_merges_total{outcome=\"merged\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_comment_commands_total{outcome=\"denied\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("eka_ci_comment_commands_total{outcome=\"bot\"} 1"), std::string::npos);
  expectNoDuplicatesAndEveryRequestDocumented();
}

TEST_F(GithubMergeEndToEndTest, AWritersMergeWaitsForTheReviewAndAPushCancelsAnother) {
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  github_->setPermission("writer", "write");
  const std::string head = sha("bump");
  github_->setPullHead(21, head);
  github_->setCommitDate(head, isoNow(-3600s));
  const std::string opened = pullRequest("opened", 21, "v1", "bump");
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "w-1", opened, sign(opened)).status, 202);
  // Queued at once, before the review concluded.
  const std::string command = issueComment(21, "writer", "@eka-ci merge rebase", 701, isoNow());
  ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "w-2", command, sign(command)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return !reactionsOn(*github_, 701).empty(); }, 60s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 701).front(), "+1");
  ASSERT_TRUE(waitUntil([&] { return github_->merges().size() == 1; })) << s->stderrText();
  EXPECT_EQ(github_->merges()[0].method, "rebase");
  EXPECT_EQ(github_->merges()[0].sha, head);
  // The merge came only after the review's evaluation concluded (successfully).
  std::size_t concludedAt = 0, mergedAt = 0;
  const auto requests = github_->requests();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& r = requests[i];
    if (r.method == "PATCH" && r.target.find("/check-runs/") != std::string::npos &&
        r.body.find("\"conclusion\":\"success\"") != std::string::npos && concludedAt == 0) {
      concludedAt = i;
    }
    if (r.method == "PUT" && r.target.find("/pulls/21/merge") != std::string::npos) mergedAt = i;
  }
  EXPECT_GT(concludedAt, 0u);
  EXPECT_GT(mergedAt, concludedAt);
  ASSERT_TRUE(waitUntil([&] { return reactionsOn(*github_, 701).size() == 2; }, 30s));
  EXPECT_EQ(reactionsOn(*github_, 701).back(), "rocket");

  // Another pull request, whose head newly fails to build: the command is accepted and
  // pinned, nothing is merged, and the push that fixes it cancels the command.
  const std::string other = sha("build-break");
  github_->setPullHead(22, other);
  github_->setCommitDate(other, isoNow(-3600s));
  const std::string opened22 = pullRequest("opened", 22, "docs", "build-break");
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "w-3", opened22, sign(opened22)).status, 202);
  std::this_thread::sleep_for(5s);  // one command per user and repository per 5 s
  const std::string pinned = issueComment(22, "writer", "@eka-ci merge", 702, isoNow());
  ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "w-4", pinned, sign(pinned)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return !reactionsOn(*github_, 702).empty(); }, 60s)) << s->stderrText();
  auto failing = waitForRuns(other, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  ASSERT_EQ(failing["EkaCI: Evaluate Job (packages)"].conclusion, "failure") << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 702), std::vector<std::string>{"+1"}) << "a failing head is not merged";
  const std::string pushed = pullRequest("synchronize", 22, "docs", "build-fix");
  github_->setPullHead(22, sha("build-fix"));
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "w-5", pushed, sign(pushed)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return reactionsOn(*github_, 702).size() == 2; }, 60s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 702), (std::vector<std::string>{"+1", "confused"}));
  // The comment to the requester follows the reaction through the outbox.
  EXPECT_TRUE(waitUntil(
      [&] {
        for (const auto& c : github_->comments()) {
          if (c.number == 22 && c.body.find("@writer") != std::string::npos &&
              c.body.find(other.substr(0, 12)) != std::string::npos) {
            return true;
          }
        }
        return false;
      },
      30s));
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(github_->merges().size(), 1u) << "the new head was never merged";

  // A command typed before a push it could not have seen: refused.
  std::this_thread::sleep_for(5s);  // one command per user and repository per 5 s
  const std::string late = sha("fod-only");
  github_->setPullHead(23, late);
  github_->setCommitDate(late, isoNow(120s));
  const std::string opened23 = pullRequest("opened", 23, "deep", "fod-only");
  auto fixedRuns = waitForRuns(sha("build-fix"), [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  EXPECT_EQ(fixedRuns["EkaCI: Evaluate Job (packages)"].conclusion, "success");
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "w-6", opened23, sign(opened23)).status, 202);
  const std::string early = issueComment(23, "writer", "@eka-ci merge", 703, isoNow());
  ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "w-7", early, sign(early)).status, 202);
  ASSERT_TRUE(waitUntil([&] { return !reactionsOn(*github_, 703).empty(); }, 60s)) << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 703), std::vector<std::string>{"-1"});
  expectNoDuplicatesAndEveryRequestDocumented();
}

// GitHub's example pull_request_review `submitted` payload, made an approval by `reviewer`
// of pull request `number` (from `base` to `head` of the demo repository).
std::string approval(int number, const std::string& base, const std::string& head, const std::string& reviewer) {
  auto examples = testsupport::GithubTestKit::examples("pull_request_review", "submitted");
  EXPECT_FALSE(examples.empty());
  auto payload = examples.at(0);
  Poco::JSON::Parser parser;
  auto pr =
      parser.parse(GithubServerTest::pullRequest("opened", number, base, head)).extract<Poco::JSON::Object::Ptr>();
  payload->set("pull_request", pr->getObject("pull_request"));
  payload->set("repository", pr->getObject("repository"));
  payload->set("installation", pr->getObject("installation"));
  auto review = payload->getObject("review");
  review->set("state", "approved");
  review->getObject("user")->set("login", reviewer);
  return testsupport::GithubTestKit::stringify(payload);
}

TEST_F(GithubMergeEndToEndTest, CancelsRateLimitsDisabledMethodsAndWhatGithubRefuses) {
  auto s = server();
  ASSERT_TRUE(s->start()) << s->stderrText();
  github_->setPermission("writer", "write");
  github_->setPermission("maintainer", "maintain");
  const std::string head = sha("bump");
  github_->setPullHead(31, head);
  github_->setCommitDate(head, isoNow(-3600s));
  const std::string opened = pullRequest("opened", 31, "v1", "bump");
  ASSERT_EQ(deliver(s->httpPort(), "pull_request", "c-1", opened, sign(opened)).status, 202);
  auto runs = waitForRuns(head, [](const auto& r) { return concluded(r, "EkaCI: Change Summary"); });
  ASSERT_EQ(runs["EkaCI: Evaluate Job (packages)"].conclusion, "success") << s->stderrText();
  int delivery = 0;
  auto say = [&](const std::string& login, const std::string& body, std::int64_t id) {
    const std::string c = issueComment(31, login, body, id, isoNow());
    ASSERT_EQ(deliver(s->httpPort(), "issue_comment", "c-c" + std::to_string(++delivery), c, sign(c)).status, 202);
  };
  auto reacted = [&](std::int64_t id, std::size_t n) {
    return waitUntil([&] { return reactionsOn(*github_, id).size() >= n; }, 60s);
  };
  auto merges = [&] {
    std::size_t n = 0;
    for (const auto& r : github_->requests()) n += r.method == "PUT" && r.target.find("/merge") != std::string::npos;
    return n;
  };

  // A method the repository disables: accepted, never merged, no comment.
  github_->setMergeSettings(true, true, false);
  say("writer", "@eka-ci merge rebase", 801);
  ASSERT_TRUE(reacted(801, 1)) << s->stderrText();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(reactionsOn(*github_, 801), std::vector<std::string>{"+1"});
  EXPECT_EQ(merges(), 0u);
  EXPECT_TRUE(github_->comments().empty());

  // The requester cancels.
  std::this_thread::sleep_for(5s);
  say("writer", "@eka-ci merge cancel", 802);
  ASSERT_TRUE(reacted(802, 1));
  EXPECT_EQ(reactionsOn(*github_, 802), std::vector<std::string>{"+1"});

  // Nothing pending: no request to GitHub at all.
  const auto before = github_->requests().size();
  say("stranger", "@eka-ci merge cancel", 803);
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(github_->requests().size(), before) << "no reaction, no comment, no permission call";

  // Pending again: a stranger cannot cancel it, a maintainer can.
  std::this_thread::sleep_for(3s);
  say("writer", "@eka-ci merge rebase", 804);
  ASSERT_TRUE(reacted(804, 1));
  say("stranger", "@eka-ci merge cancel", 805);
  ASSERT_TRUE(reacted(805, 1));
  EXPECT_EQ(reactionsOn(*github_, 805), std::vector<std::string>{"-1"});
  ASSERT_TRUE(waitUntil([&] { return github_->comments().size() == 1; }, 30s));
  EXPECT_NE(github_->comments()[0].body.find("@stranger"), std::string::npos);
  say("maintainer", "@eka-ci merge cancel", 806);
  ASSERT_TRUE(reacted(806, 1));
  EXPECT_EQ(reactionsOn(*github_, 806), std::vector<std::string>{"+1"});

  // GitHub refuses the merge with 405: the request stays, the requester is told; a second
  // command within 5 s is dropped without an answer.
  std::this_thread::sleep_for(5s);
  github_->setMergeSettings(true, true, true);
  github_->scriptFaults(
      "/repos/octo/demo/pulls/31/merge",
      {testsupport::FakeGithub::Fault{405, {}, R"({"message":"Pull Request is not mergeable"})", 0ms, false}});
  say("writer", "@eka-ci merge", 807);
  say("writer", "@eka-ci merge cancel", 808);
  ASSERT_TRUE(reacted(807, 1));
  ASSERT_TRUE(waitUntil([&] { return github_->comments().size() == 2; }, 30s)) << s->stderrText();
  EXPECT_NE(github_->comments()[1].body.find("not mergeable"), std::string::npos) << github_->comments()[1].body;
  EXPECT_EQ(merges(), 1u);
  EXPECT_TRUE(reactionsOn(*github_, 808).empty()) << "rate-limited";

  // The head changed at GitHub before the next try (an approval runs the evaluator): 409,
  // and the pinned command is cancelled.
  github_->setPullHead(31, sha("add-remove"));
  const std::string approved = approval(31, "v1", "bump", "alice");
  ASSERT_EQ(deliver(s->httpPort(), "pull_request_review", "c-r1", approved, sign(approved)).status, 202);
  ASSERT_TRUE(reacted(807, 2)) << s->stderrText();
  EXPECT_EQ(reactionsOn(*github_, 807), (std::vector<std::string>{"+1", "confused"}));
  EXPECT_EQ(merges(), 2u);
  EXPECT_TRUE(github_->merges().empty()) << "nothing was merged";
  expectNoDuplicatesAndEveryRequestDocumented();
}

}  // namespace
}  // namespace ekaci::integration
