#include "kernel/review/JobsetDiff.h"

#include <gtest/gtest.h>

namespace ekaci::review {
namespace {

sdk::EvalItem pkg(const std::string& attr, const std::string& version, const std::string& outHash,
                  const std::string& pname = "") {
  sdk::EvalItem item;
  item.attrPath = attr;
  item.drvPath = "/nix/store/" + outHash + "-" + attr + ".drv";
  item.outputs = {{"out", "/nix/store/" + outHash + "-" + (pname.empty() ? attr : pname)}};
  item.system = "x86_64-linux";
  item.meta.pname = pname.empty() ? attr : pname;
  item.meta.version = version;
  return item;
}

sdk::EvalItem broken(const std::string& attr, const std::string& message) {
  sdk::EvalItem item;
  item.attrPath = attr;
  item.error = message;
  return item;
}

const PackageChange* find(const JobReview& review, const std::string& attr) {
  for (const auto& c : review.changes) {
    if (c.attr == attr) return &c;
  }
  return nullptr;
}

}  // namespace

TEST(JobsetDiffTest, ClassifiesEveryKindOfChange) {
  std::vector<sdk::EvalItem> base = {pkg("hello", "2.12", "h1"), pkg("same", "1", "s1"), pkg("gone", "0.1", "g1"),
                                     pkg("rebuilt", "3", "r1"), pkg("oldname", "5", "n1", "thing")};
  std::vector<sdk::EvalItem> head = {pkg("hello", "2.13", "h2"), pkg("same", "1", "s1"), pkg("fresh", "1.0", "f1"),
                                     pkg("rebuilt", "3", "r2"), pkg("newname", "5", "n1", "thing")};
  JobReview review;
  JobsetDiff::compute(base, head, review);
  EXPECT_EQ(find(review, "hello")->change, ChangeClass::VersionBump);
  EXPECT_EQ(find(review, "hello")->oldVersion, "2.12");
  EXPECT_EQ(find(review, "fresh")->change, ChangeClass::Added);
  EXPECT_EQ(find(review, "gone")->change, ChangeClass::Removed);
  EXPECT_EQ(find(review, "rebuilt")->change, ChangeClass::RebuildOnly);
  ASSERT_NE(find(review, "newname"), nullptr);
  EXPECT_EQ(find(review, "newname")->change, ChangeClass::Renamed);
  EXPECT_EQ(find(review, "newname")->oldAttr, "oldname");
  EXPECT_FALSE(find(review, "newname")->rebuild) << "same outputs: a rename rebuilds nothing";
  EXPECT_EQ(find(review, "oldname"), nullptr);
  EXPECT_EQ(find(review, "same"), nullptr);
  EXPECT_EQ(review.counts.unchanged, 1u);
  EXPECT_EQ(review.counts.added, 1u);
  EXPECT_EQ(review.counts.removed, 1u);
  EXPECT_EQ(review.counts.versionBumps, 1u);
  EXPECT_EQ(review.counts.renamed, 1u);
  EXPECT_EQ(review.counts.rebuildOnly, 1u);
  ASSERT_EQ(review.rebuilds.size(), 1u);
  EXPECT_EQ(review.rebuilds[0].count, 3u) << "hello, fresh and rebuilt have new outputs";
  EXPECT_EQ(review.rebuilds[0].bucket, "1-10");
}

TEST(JobsetDiffTest, ANewDerivationWithTheSameOutputsIsNotARebuild) {
  // A fixed-output change: the derivation differs, the output path does not.
  sdk::EvalItem before = pkg("fetched", "3.1", "o1");
  sdk::EvalItem after = before;
  after.drvPath = "/nix/store/differentdrv-fetched.drv";
  JobReview review;
  JobsetDiff::compute({before}, {after}, review);
  EXPECT_TRUE(review.changes.empty());
  EXPECT_EQ(review.counts.unchanged, 1u);
  EXPECT_EQ(review.rebuilds[0].count, 0u);
  EXPECT_EQ(review.rebuilds[0].bucket, "0");
}

TEST(JobsetDiffTest, RenameWithRebuildIsFoundByNameAndVersion) {
  JobReview review;
  JobsetDiff::compute({pkg("python-foo", "1.2", "a1", "foo")}, {pkg("python3Packages.foo", "1.2", "a2", "foo")}, review);
  ASSERT_EQ(review.changes.size(), 1u);
  EXPECT_EQ(review.changes[0].change, ChangeClass::Renamed);
  EXPECT_TRUE(review.changes[0].rebuild);
}

TEST(JobsetDiffTest, MetadataChangesWithoutRebuilds) {
  sdk::EvalItem before = pkg("licensed", "0.4", "l1");
  before.meta.licenses = {"MIT"};
  before.meta.maintainers = {"alice"};
  sdk::EvalItem after = before;
  after.meta.licenses = {"Apache-2.0"};
  after.meta.maintainers = {"alice", "bob"};
  JobReview review;
  JobsetDiff::compute({before}, {after}, review);
  ASSERT_EQ(review.changes.size(), 1u);
  EXPECT_EQ(review.changes[0].change, ChangeClass::Unchanged);
  EXPECT_TRUE(review.changes[0].licenseChanged);
  EXPECT_TRUE(review.changes[0].maintainersChanged);
  EXPECT_EQ(review.counts.licenseChanges, 1u);
  EXPECT_EQ(review.counts.maintainerChanges, 1u);
  EXPECT_EQ(review.counts.unchanged, 1u);
}

TEST(JobsetDiffTest, EvaluationErrorsAreNewFixedOrStill) {
  std::vector<sdk::EvalItem> base = {broken("stays", "e1"), broken("healed", "e2"), broken("deleted", "e3"),
                                     pkg("breaks", "1", "b1")};
  std::vector<sdk::EvalItem> head = {broken("stays", "e1"), pkg("healed", "1", "h1"), broken("breaks", "boom"),
                                     broken("born-broken", "e4")};
  JobReview review;
  JobsetDiff::compute(base, head, review);
  EXPECT_EQ(review.counts.newErrors, 2u);
  EXPECT_EQ(review.counts.fixedErrors, 2u);
  EXPECT_EQ(review.counts.stillFailing, 1u);
  EXPECT_FALSE(review.clean());
  review.allowEvalFailures = true;
  EXPECT_TRUE(review.clean());
  EXPECT_EQ(review.evalErrors.front().change, EvalErrorChange::New);
}

TEST(JobsetDiffTest, RebuildBuckets) {
  EXPECT_EQ(rebuildBucket(0), "0");
  EXPECT_EQ(rebuildBucket(10), "1-10");
  EXPECT_EQ(rebuildBucket(11), "11-100");
  EXPECT_EQ(rebuildBucket(500), "101-500");
  EXPECT_EQ(rebuildBucket(1000), "501-1000");
  EXPECT_EQ(rebuildBucket(2500), "1001-2500");
  EXPECT_EQ(rebuildBucket(5000), "2501-5000");
  EXPECT_EQ(rebuildBucket(5001), "5001+");
}

}  // namespace ekaci::review
