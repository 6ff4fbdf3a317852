#include "ekaci/sdk/testing/CredentialSourceConformance.h"

#include "ekaci/sdk/testing/StartedInstance.h"

#include <sstream>
#include <thread>

namespace ekaci::sdk::testing {

bool credentialSourceConformanceLinked() {
  return true;
}

namespace {
StartedInstance<CredentialSource> mustMake(
    const std::function<Result<std::unique_ptr<CredentialSource>>(HostServices&)>& make, HostServices& host) {
  return startedOrFail(make(host));
}
}  // namespace

TEST_P(CredentialSourceConformance, FetchReturnsEveryExpectedSecret) {
  auto source = mustMake(GetParam().makeWorking, host_);
  ASSERT_TRUE(source);
  auto fetched = source->fetch();
  ASSERT_TRUE(fetched) << fetched.error().describe();
  for (const auto& [name, value] : GetParam().expected) {
    const Secret* secret = fetched->find(name);
    ASSERT_NE(secret, nullptr) << "missing " << name;
    EXPECT_TRUE(secret->equals(value)) << "wrong value for " << name;
  }
}

TEST_P(CredentialSourceConformance, FetchIsRepeatable) {
  auto source = mustMake(GetParam().makeWorking, host_);
  ASSERT_TRUE(source);
  auto first = source->fetch();
  auto second = source->fetch();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->names(), second->names());
}

TEST_P(CredentialSourceConformance, NeverLogsOrDescribesASecret) {
  auto source = mustMake(GetParam().makeWorking, host_);
  ASSERT_TRUE(source);
  auto fetched = source->fetch();
  ASSERT_TRUE(fetched);
  auto missing = GetParam().makeMissing(host_);
  std::string missingMessage;
  if (missing) {
    auto failed = (*missing)->fetch();
    if (!failed) missingMessage = failed.error().message();
  } else {
    missingMessage = missing.error().message();
  }
  for (const auto& [name, value] : GetParam().expected) {
    EXPECT_FALSE(host_.capturedLogs().contains(value)) << "secret " << name << " reached the log";
    EXPECT_EQ(source->describe().find(value), std::string::npos) << "secret " << name << " in describe()";
    EXPECT_EQ(missingMessage.find(value), std::string::npos);
    std::ostringstream printed;
    printed << *fetched->find(name);
    EXPECT_EQ(printed.str(), "<redacted>");
  }
}

TEST_P(CredentialSourceConformance, MissingSecretIsAnErrorNotEmptyCredentials) {
  auto missing = GetParam().makeMissing(host_);
  if (!missing) {
    SUCCEED() << "rejected at creation: " << missing.error().describe();
    return;
  }
  auto fetched = (*missing)->fetch();
  ASSERT_FALSE(fetched) << "fetch of an absent secret must fail";
  EXPECT_NE(fetched.error().code(), ErrorCode::Ok);
  EXPECT_FALSE(fetched.error().message().empty());
}

TEST_P(CredentialSourceConformance, ConcurrentFetchesAgree) {
  auto source = mustMake(GetParam().makeWorking, host_);
  ASSERT_TRUE(source);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        auto fetched = source->fetch();
        if (!fetched || fetched->size() < GetParam().expected.size()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace ekaci::sdk::testing
