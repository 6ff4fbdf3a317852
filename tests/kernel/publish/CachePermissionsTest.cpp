#include "kernel/publish/CachePermissions.h"

#include <gtest/gtest.h>

namespace ekaci::publish {

TEST(CachePermissionsTest, AllowAllIgnoresTheLists) {
  config::PermissionsConfig p;
  p.allowAll = true;
  p.allowedRepos = {"nobody/*"};
  EXPECT_TRUE(CachePermissions::allows(p, "acme/x", "pull/3"));
}

TEST(CachePermissionsTest, RepositoriesAndBranchesAreGlobs) {
  config::PermissionsConfig p;
  p.allowAll = false;
  p.allowedRepos = {"myorg/*", "other/special"};
  p.allowedBranches = {"main", "release/*", "*/hotfix"};
  EXPECT_TRUE(CachePermissions::allows(p, "myorg/app", "main"));
  EXPECT_TRUE(CachePermissions::allows(p, "other/special", "release/v1.0"));
  EXPECT_TRUE(CachePermissions::allows(p, "myorg/app", "team/hotfix"));
  EXPECT_FALSE(CachePermissions::allows(p, "myorg/app", "pull/12"));
  EXPECT_FALSE(CachePermissions::allows(p, "myorg/app", "release/v1/extra"));
  EXPECT_FALSE(CachePermissions::allows(p, "myorgx/app", "main"));
  EXPECT_FALSE(CachePermissions::allows(p, "myorg/app", ""));
  EXPECT_EQ(CachePermissions::refusal(p, "evil/app", "main"), "repository evil/app is not in allowed_repos");
  EXPECT_EQ(CachePermissions::refusal(p, "myorg/app", "dev"), "branch dev is not in allowed_branches");
}

TEST(CachePermissionsTest, ALoneStarMatchesEveryBranch) {
  config::PermissionsConfig p;
  p.allowAll = false;
  p.allowedRepos = {"myorg/app"};
  p.allowedBranches = {"*"};
  EXPECT_TRUE(CachePermissions::allows(p, "myorg/app", "pull/12"));
  EXPECT_TRUE(CachePermissions::allows(p, "myorg/app", "release/v1/x"));
  p.allowedBranches.clear();  // no branch list: every branch of an allowed repository
  EXPECT_TRUE(CachePermissions::allows(p, "myorg/app", "anything"));
  p.allowedRepos.clear();  // not allow_all and no repositories: nobody
  EXPECT_FALSE(CachePermissions::allows(p, "myorg/app", "main"));
}

}  // namespace ekaci::publish
