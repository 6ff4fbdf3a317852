// The packages a pull request changes, and whose maintainers may merge it: the base's.
#include "kernel/forge/ChangedPackages.h"

#include <gtest/gtest.h>

namespace ekaci::forge {
namespace {

review::PackageChange change(const std::string& attr, review::ChangeClass kind, std::vector<std::string> base,
                             std::vector<std::string> head) {
  review::PackageChange c;
  c.attr = attr;
  c.change = kind;
  c.rebuild = true;
  c.oldMaintainers = std::move(base);
  c.newMaintainers = std::move(head);
  c.drvPath = "/nix/store/h-" + attr + ".drv";
  if (kind != review::ChangeClass::Added) c.baseDrvPath = "/nix/store/b-" + attr + ".drv";
  return c;
}

TEST(ChangedPackagesTest, AddedBumpedRenamedAndOwnRebuildsButNotRebuildsCausedByADependency) {
  review::ReviewReport report;
  review::JobReview job;
  job.changes.push_back(change("newtool", review::ChangeClass::Added, {}, {"mallory"}));
  job.changes.push_back(change("hello", review::ChangeClass::VersionBump, {"alice"}, {"alice"}));
  auto patched = change("libcore", review::ChangeClass::RebuildOnly, {"carol"}, {"carol"});
  job.changes.push_back(patched);
  auto dependent = change("app-b", review::ChangeClass::RebuildOnly, {"dave"}, {"dave"});
  dependent.dependencyRebuilt = true;
  job.changes.push_back(dependent);
  job.changes.push_back(change("oldtool", review::ChangeClass::Removed, {"erin"}, {}));
  report.jobs.push_back(job);
  auto changed = ChangedPackages::of(report);
  ASSERT_EQ(changed.size(), 3u);
  EXPECT_EQ(changed[0].attr, "hello");
  EXPECT_EQ(changed[0].why, "version-bump");
  EXPECT_EQ(changed[1].attr, "libcore");
  EXPECT_EQ(changed[1].why, "rebuild");
  EXPECT_EQ(changed[2].attr, "newtool");
  EXPECT_TRUE(changed[2].maintainers.empty()) << "an added package has no maintainer yet";
}

TEST(ChangedPackagesTest, MaintainersComeFromTheBaseNeverFromTheHead) {
  review::ReviewReport report;
  review::JobReview job;
  job.changes.push_back(change("hello", review::ChangeClass::VersionBump, {"alice"}, {"alice", "mallory"}));
  report.jobs.push_back(job);
  auto changed = ChangedPackages::of(report);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].maintainers, std::vector<std::string>{"alice"})
      << "the author adding themselves to meta.maintainers gains nothing";
  auto table = ChangedPackages::baseMaintainers(report);
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table[0].second, std::vector<std::string>{"alice"});
}

TEST(ChangedPackagesTest, TheSameAttributeOnSeveralJobsIsOnePackage) {
  review::ReviewReport report;
  for (const char* maintainer : {"alice", "bob"}) {
    review::JobReview job;
    job.changes.push_back(change("hello", review::ChangeClass::VersionBump, {maintainer}, {}));
    report.jobs.push_back(job);
  }
  auto changed = ChangedPackages::of(report);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].maintainers, (std::vector<std::string>{"alice", "bob"}));
}

TEST(ChangedPackagesTest, EncodedAndDecoded) {
  std::vector<ChangedPackage> packages = {{"hello", "version-bump", {"alice"}}, {"x", "added", {}}};
  auto decoded = ChangedPackages::decode(ChangedPackages::encode(packages));
  ASSERT_TRUE(decoded);
  ASSERT_EQ(decoded->size(), 2u);
  EXPECT_EQ((*decoded)[0].attr, "hello");
  EXPECT_EQ((*decoded)[0].maintainers, std::vector<std::string>{"alice"});
  EXPECT_FALSE(ChangedPackages::decode("{not json"));
  EXPECT_TRUE(ChangedPackages::decode("")->empty());
}

}  // namespace
}  // namespace ekaci::forge
