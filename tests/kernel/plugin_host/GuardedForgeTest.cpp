// Every call of every forge capability goes through the guard: what a plugin throws comes
// back as E3009, logged and counted per call, and never reaches the kernel.
#include "kernel/plugin_host/GuardedForge.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::plugin_host {
namespace {

// A forge with every capability, each of which throws.
class ThrowingForge final : public sdk::Forge,
                            sdk::ForgeWebhooks,
                            sdk::ForgeReports,
                            sdk::ForgeComments,
                            sdk::ForgeMerges,
                            sdk::ForgeInstallations {
 public:
  bool throwAnything = false;  // throw an int instead of a std::exception

  sdk::ForgeCapabilities capabilities() const override { fail(); }
  sdk::ForgeWebhooks& webhooks() override { return *this; }
  sdk::ForgeReports* reports() override { return this; }
  sdk::ForgeComments* comments() override { return this; }
  sdk::ForgeMerges* merges() override { return this; }
  sdk::ForgeInstallations* installations() override { return this; }
  sdk::Result<void> start() override { fail(); }

 private:
  [[noreturn]] void fail() const {
    if (throwAnything) throw 42;
    throw std::runtime_error("plugin bug");
  }
  sdk::Result<void> verify(const sdk::WebhookRequest&) const override { fail(); }
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest&) const override { fail(); }
  sdk::Result<std::string> publish(const sdk::RepositoryRef&, const std::string&, const sdk::StatusReport&,
                                   const std::string&) override {
    fail();
  }
  sdk::Result<std::vector<sdk::PublishedReport>> list(const sdk::RepositoryRef&, const std::string&) override {
    fail();
  }
  sdk::Result<void> cancel(const sdk::RepositoryRef&, const std::string&, const sdk::PublishedReport&) override {
    fail();
  }
  sdk::Result<std::uint64_t> create(const sdk::ChangeRequestRef&, const std::string&) override { fail(); }
  sdk::Result<void> edit(const sdk::ChangeRequestRef&, std::uint64_t, const std::string&) override { fail(); }
  sdk::Result<void> react(const sdk::ChangeRequestRef&, std::uint64_t, sdk::Reaction) override { fail(); }
  sdk::Result<sdk::Permission> permissionOf(const sdk::RepositoryRef&, const std::string&) override { fail(); }
  sdk::Result<sdk::MergeSettings> mergeSettings(const sdk::RepositoryRef&) override { fail(); }
  sdk::Result<std::int64_t> commitTime(const sdk::RepositoryRef&, const std::string&) override { fail(); }
  sdk::Result<void> merge(const sdk::ChangeRequestRef&, sdk::MergeMethod, const std::string&) override { fail(); }
  sdk::Result<sdk::CloneCredentials> cloneCredentials(const sdk::RepositoryRef&) override { fail(); }
};

// A forge that can only take webhooks.
class WebhooksOnly final : public sdk::Forge, sdk::ForgeWebhooks {
 public:
  sdk::ForgeCapabilities capabilities() const override { return {}; }
  sdk::ForgeWebhooks& webhooks() override { return *this; }

 private:
  sdk::Result<void> verify(const sdk::WebhookRequest&) const override { return sdk::success(); }
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest&) const override {
    return std::vector<sdk::ForgeEvent>{};
  }
};

template <class T>
void expectGuarded(const sdk::Result<T>& result, const std::string& call) {
  ASSERT_FALSE(result) << call;
  EXPECT_EQ(result.error().code(), sdk::ErrorCode::PluginCallFailed) << call;
  EXPECT_NE(result.error().message().find("forge throwing/x failed in " + call), std::string::npos)
      << result.error().message();
}

TEST(GuardedForgeTest, EveryCallOfEveryCapabilityIsGuarded) {
  sdk::testing::FakeHostServices host;
  for (bool anything : {false, true}) {
    auto inner = std::make_unique<ThrowingForge>();
    inner->throwAnything = anything;
    auto wrapped = GuardedForge::wrap(std::move(inner), PluginCallGuard("forge throwing/x", host));
    ASSERT_TRUE(wrapped);
    sdk::Forge& forge = **wrapped;
    sdk::RepositoryRef repo;
    repo.owner = "acme";
    sdk::ChangeRequestRef change;
    change.repository = repo;
    expectGuarded(forge.start(), "start");
    expectGuarded(forge.webhooks().verify({}), "webhooks.verify");
    expectGuarded(forge.webhooks().parse({}), "webhooks.parse");
    expectGuarded(forge.reports()->publish(repo, "sha", {}, ""), "reports.publish");
    expectGuarded(forge.reports()->list(repo, "sha"), "reports.list");
    expectGuarded(forge.reports()->cancel(repo, "sha", {}), "reports.cancel");
    expectGuarded(forge.comments()->create(change, "m"), "comments.create");
    expectGuarded(forge.comments()->edit(change, 1, "m"), "comments.edit");
    expectGuarded(forge.comments()->react(change, 1, sdk::Reaction::Success), "comments.react");
    expectGuarded(forge.merges()->permissionOf(repo, "u"), "merges.permissionOf");
    expectGuarded(forge.merges()->mergeSettings(repo), "merges.mergeSettings");
    expectGuarded(forge.merges()->commitTime(repo, "sha"), "merges.commitTime");
    expectGuarded(forge.merges()->merge(change, sdk::MergeMethod::Squash, "sha"), "merges.merge");
    expectGuarded(forge.installations()->cloneCredentials(repo), "installations.cloneCredentials");
    const sdk::ForgeCapabilities fallback = forge.capabilities();
    EXPECT_FALSE(fallback.checkRuns) << "a throwing capabilities() answers the defaults";
    forge.stop();  // the default stop() does not throw; a guarded one never does
  }
  EXPECT_EQ(host.fakeMetrics().value("plugin_call_failures_total", {{"call", "merges.merge"}}), 2.0);
  EXPECT_EQ(host.fakeMetrics().value("plugin_call_failures_total", {{"call", "webhooks.verify"}}), 2.0);
  EXPECT_TRUE(host.capturedLogs().contains("it threw plugin bug"));
  EXPECT_TRUE(host.capturedLogs().contains("an exception that is not a std::exception"));
}

TEST(GuardedForgeTest, WhatThePluginCannotDoStaysAbsent) {
  sdk::testing::FakeHostServices host;
  auto wrapped = GuardedForge::wrap(std::make_unique<WebhooksOnly>(), PluginCallGuard("forge w/x", host));
  ASSERT_TRUE(wrapped);
  EXPECT_EQ((*wrapped)->reports(), nullptr);
  EXPECT_EQ((*wrapped)->comments(), nullptr);
  EXPECT_EQ((*wrapped)->merges(), nullptr);
  EXPECT_EQ((*wrapped)->installations(), nullptr);
  EXPECT_TRUE((*wrapped)->webhooks().verify({}));
  EXPECT_TRUE((*wrapped)->start());
}

TEST(GuardedForgeTest, ALongExceptionTextIsCut) {
  sdk::testing::FakeHostServices host;
  PluginCallGuard guard("forge long/x", host);
  auto result = guard.call<void>("webhooks.parse",
                                 []() -> sdk::Result<void> { throw std::runtime_error(std::string(10000, 'a')); });
  ASSERT_FALSE(result);
  EXPECT_LT(result.error().message().size(), 400u);
  EXPECT_NE(result.error().message().find("..."), std::string::npos);
}

}  // namespace
}  // namespace ekaci::plugin_host
