#include "kernel/git/GitRepository.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "kernel/git/CheckoutArea.h"
#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace ekaci::git {
namespace {

std::string gitCommand(const std::filesystem::path& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", repo.string()});
  auto result = testsupport::runCommand(args, {{"PATH", "/usr/bin:/bin"},
                                               {"HOME", repo.string()},
                                               {"GIT_AUTHOR_NAME", "t"},
                                               {"GIT_AUTHOR_EMAIL", "t@x"},
                                               {"GIT_COMMITTER_NAME", "t"},
                                               {"GIT_COMMITTER_EMAIL", "t@x"}});
  EXPECT_EQ(result.status, 0) << result.err;
  std::string out = result.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class GitRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_ = dir_.path() / "source";
    std::filesystem::create_directories(source_);
    gitCommand(source_, {"init", "-q", "-b", "trunk"});
    commit("a.txt", "one", "first");
    commit("b.txt", "two", "second");
  }
  std::string commit(const std::string& file, const std::string& text, const std::string& message) {
    std::ofstream(source_ / file) << text;
    gitCommand(source_, {"add", "-A"});
    gitCommand(source_, {"commit", "-q", "-m", message});
    return gitCommand(source_, {"rev-parse", "HEAD"});
  }
  testsupport::TempDir dir_;
  std::filesystem::path source_;
};

}  // namespace

TEST_F(GitRepositoryTest, MirrorsResolvesAndKnowsTheDefaultBranch) {
  auto repo = GitRepository::mirror(source_.string(), dir_.path() / "mirror.git");
  ASSERT_TRUE(repo) << repo.error().describe();
  EXPECT_EQ(*(*repo)->defaultBranch(), "trunk");
  EXPECT_EQ((*repo)->sourceHead(), gitCommand(source_, {"rev-parse", "HEAD"}));
  EXPECT_EQ(*(*repo)->resolve("trunk~1"), gitCommand(source_, {"rev-parse", "HEAD~1"}));
  EXPECT_EQ(*(*repo)->subject("trunk"), "second");
  EXPECT_FALSE((*repo)->resolve("no-such-branch"));
  EXPECT_FALSE((*repo)->resolve("--upload-pack=evil")) << "option-like revisions are refused";
  EXPECT_FALSE(std::filesystem::exists(source_ / ".git" / "ekaci.lock")) << "the user's repository is untouched";
}

TEST_F(GitRepositoryTest, HeadRevisionsMeanTheSourcesHead) {
  // The source's HEAD is on a branch the mirror's own HEAD does not name, and detached.
  gitCommand(source_, {"checkout", "-q", "-b", "feature"});
  commit("c.txt", "three", "feature work");
  gitCommand(source_, {"checkout", "-q", "--detach"});
  const std::string detached = commit("d.txt", "four", "detached work");
  auto repo = GitRepository::mirror(source_.string(), dir_.path() / "mirror.git");
  ASSERT_TRUE(repo) << repo.error().describe();
  EXPECT_EQ(*(*repo)->resolve("HEAD"), detached);
  EXPECT_EQ(*(*repo)->resolve("@"), detached);
  EXPECT_EQ(*(*repo)->resolve("HEAD~1"), gitCommand(source_, {"rev-parse", "HEAD~1"}));
  EXPECT_EQ(*(*repo)->resolve("HEAD^"), gitCommand(source_, {"rev-parse", "HEAD^"}));
  EXPECT_EQ(*(*repo)->resolve("HEAD~3"), gitCommand(source_, {"rev-parse", "HEAD~3"}));
  EXPECT_EQ(*(*repo)->resolve("trunk^"), gitCommand(source_, {"rev-parse", "trunk^"}));
  EXPECT_EQ(*(*repo)->resolve(detached.substr(0, 8)), detached) << "short SHAs";
  EXPECT_FALSE((*repo)->resolve("HEADS")) << "a name that only starts with HEAD is not HEAD";
  EXPECT_FALSE((*repo)->resolve("HEAD~9")) << "beyond the first commit";
}

TEST_F(GitRepositoryTest, FetchBringsNewCommitsAndBranches) {
  auto repo = GitRepository::mirror(source_.string(), dir_.path() / "mirror.git");
  ASSERT_TRUE(repo);
  gitCommand(source_, {"checkout", "-q", "-b", "feature"});
  const std::string feature = commit("c.txt", "three", "feature work");
  auto again = GitRepository::mirror(source_.string(), dir_.path() / "mirror.git");
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(*(*again)->resolve("feature"), feature);
  EXPECT_EQ((*again)->sourceHead(), feature);
  EXPECT_EQ(*(*again)->mergeBase("feature", "trunk"), gitCommand(source_, {"rev-parse", "trunk"}));
  auto changed = (*again)->changedFiles("trunk", "feature");
  ASSERT_TRUE(changed);
  EXPECT_EQ(*changed, std::vector<std::string>{"c.txt"});
}

TEST_F(GitRepositoryTest, ChecksOutIntoPrivateDirectoriesAndCleansUp) {
  auto repo = GitRepository::mirror(source_.string(), dir_.path() / "mirror.git");
  ASSERT_TRUE(repo);
  CheckoutArea area(dir_.path() / "checkouts");
  std::filesystem::path where;
  {
    auto first = area.checkout(**repo, "trunk~1");
    auto second = area.checkout(**repo, "trunk");
    ASSERT_TRUE(first && second);
    where = (*first)->directory();
    EXPECT_TRUE(std::filesystem::exists(where / "a.txt"));
    EXPECT_FALSE(std::filesystem::exists(where / "b.txt"));
    EXPECT_TRUE(std::filesystem::exists((*second)->directory() / "b.txt"));
    EXPECT_NE(where, (*second)->directory());
  }
  EXPECT_FALSE(std::filesystem::exists(where)) << "a checkout is removed with its handle";
}

TEST_F(GitRepositoryTest, PruneRemovesCheckoutsOfDeadProcesses) {
  CheckoutArea area(dir_.path() / "checkouts");
  std::filesystem::create_directories(dir_.path() / "checkouts" / "999999-0-deadbeef0000");
  std::filesystem::create_directories(dir_.path() / "checkouts" / "1-0-aaaaaaaaaaaa");  // pid 1 is alive
  EXPECT_EQ(area.prune(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "checkouts" / "999999-0-deadbeef0000"));
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "checkouts" / "1-0-aaaaaaaaaaaa"));
}

TEST_F(GitRepositoryTest, FileUrlsWorkAndBadSourcesAreClearErrors) {
  auto repo = GitRepository::mirror("file://" + source_.string(), dir_.path() / "file-mirror.git");
  ASSERT_TRUE(repo) << repo.error().describe();
  EXPECT_TRUE((*repo)->resolve("trunk"));
  auto missing = GitRepository::mirror((dir_.path() / "nope").string(), dir_.path() / "nope.git");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("cannot mirror"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "nope.git")) << "no half mirror is left behind";
}

}  // namespace ekaci::git
