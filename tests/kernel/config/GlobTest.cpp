#include "kernel/config/Glob.h"

#include <gtest/gtest.h>

namespace ekaci::config {

TEST(GlobTest, SegmentsAndDoubleStars) {
  EXPECT_TRUE(Glob::match("README.md", "README.md"));
  EXPECT_FALSE(Glob::match("README.md", "doc/README.md"));
  EXPECT_TRUE(Glob::match("doc/**", "doc/a/b.md"));
  EXPECT_TRUE(Glob::match("doc/**", "doc/a.md"));
  EXPECT_TRUE(Glob::match("**/CHANGELOG.md", "CHANGELOG.md"));
  EXPECT_TRUE(Glob::match("**/CHANGELOG.md", "pkgs/x/CHANGELOG.md"));
  EXPECT_FALSE(Glob::match("doc/**/x.md", "doc/abx.md"));
  EXPECT_TRUE(Glob::match("doc/**/x.md", "doc/a/b/x.md"));
  EXPECT_TRUE(Glob::match("*.md", "notes.md"));
  EXPECT_FALSE(Glob::match("*.md", "doc/notes.md"));
  EXPECT_TRUE(Glob::match("release/*", "release/v1.0"));
  EXPECT_FALSE(Glob::match("release/*", "release/v1/hotfix"));
  EXPECT_TRUE(Glob::match("*/hotfix", "team/hotfix"));
  EXPECT_TRUE(Glob::match("myorg/*", "myorg/repo1"));
  EXPECT_TRUE(Glob::match("*", "main"));
  EXPECT_TRUE(Glob::match("v?.0", "v1.0"));
}

TEST(GlobTest, HostilePatternsStayFast) {
  // Exponential backtracking would hang here; the matcher is linear per segment.
  std::string text(2000, 'a');
  EXPECT_FALSE(Glob::match("*a*a*a*a*a*a*a*a*a*a*b", text));
  EXPECT_TRUE(Glob::match("**/**/**/**/**/x", "a/b/c/d/e/f/g/x"));
}

}  // namespace ekaci::config
