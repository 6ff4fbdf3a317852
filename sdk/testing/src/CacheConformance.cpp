#include "ekaci/sdk/testing/CacheConformance.h"

#include "ekaci/sdk/testing/StartedInstance.h"

namespace ekaci::sdk::testing {

bool cacheConformanceLinked() {
  return true;
}

namespace {
StartedInstance<Cache> mustMake(const CacheSubject& subject, FakeHostServices& host) {
  return startedOrFail(subject.make(host));
}
}  // namespace

TEST_P(CacheConformance, PushedPathsAreContained) {
  auto cache = mustMake(GetParam(), host_);
  ASSERT_TRUE(cache);
  const auto& paths = GetParam().samplePaths;
  ASSERT_FALSE(paths.empty());
  auto pushed = cache->push(CachePushRequest{paths, "owner/repo", "main"});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  auto held = cache->contains(paths);
  ASSERT_TRUE(held) << held.error().describe();
  ASSERT_EQ(held->size(), paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) EXPECT_TRUE((*held)[i]) << paths[i];
}

TEST_P(CacheConformance, PushIsIdempotent) {
  auto cache = mustMake(GetParam(), host_);
  ASSERT_TRUE(cache);
  const auto& paths = GetParam().samplePaths;
  auto first = cache->push(CachePushRequest{paths, "owner/repo", "main"});
  ASSERT_TRUE(first) << first.error().describe();
  auto second = cache->push(CachePushRequest{paths, "owner/repo", "main"});
  ASSERT_TRUE(second) << second.error().describe();
  EXPECT_EQ(second->pushed, 0u);
  EXPECT_EQ(second->present, paths.size());
}

TEST_P(CacheConformance, UnpushedPathIsNotContained) {
  auto cache = mustMake(GetParam(), host_);
  ASSERT_TRUE(cache);
  const std::string absent = "/nix/store/00000000000000000000000000000000-never-pushed";
  auto held = cache->contains({absent});
  ASSERT_TRUE(held) << held.error().describe();
  ASSERT_EQ(held->size(), 1u);
  EXPECT_FALSE(held->front());
}

TEST_P(CacheConformance, EmptyPushSucceeds) {
  auto cache = mustMake(GetParam(), host_);
  ASSERT_TRUE(cache);
  auto pushed = cache->push(CachePushRequest{{}, "owner/repo", "main"});
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->pushed, 0u);
}

TEST_P(CacheConformance, DescribeIsNonEmpty) {
  auto cache = mustMake(GetParam(), host_);
  ASSERT_TRUE(cache);
  EXPECT_FALSE(cache->describe().empty());
}

}  // namespace ekaci::sdk::testing
