#pragma once

#include <memory>

#include "ekaci/sdk/Forge.h"
#include "kernel/plugin_host/PluginCallGuard.h"

namespace ekaci::plugin_host {

// A forge instance as the kernel holds it: every call of every capability goes through a
// PluginCallGuard. A capability the plugin does not have stays null.
class GuardedForge final : public sdk::Forge,
                           sdk::ForgeWebhooks,
                           sdk::ForgeReports,
                           sdk::ForgeComments,
                           sdk::ForgeMerges,
                           sdk::ForgeInstallations {
 public:
  // The capabilities are asked for once, here (a plugin that throws then is refused).
  static sdk::Result<std::unique_ptr<GuardedForge>> wrap(std::unique_ptr<sdk::Forge> inner, PluginCallGuard guard);

  sdk::Result<void> start() override;
  void stop() override;

  sdk::ForgeCapabilities capabilities() const override;
  sdk::ForgeWebhooks& webhooks() override { return *this; }
  sdk::ForgeReports* reports() override { return reports_ != nullptr ? this : nullptr; }
  sdk::ForgeComments* comments() override { return comments_ != nullptr ? this : nullptr; }
  sdk::ForgeMerges* merges() override { return merges_ != nullptr ? this : nullptr; }
  sdk::ForgeInstallations* installations() override { return installations_ != nullptr ? this : nullptr; }

  // The plugin's own object, for tests that look inside it.
  sdk::Forge& inner() noexcept { return *inner_; }

 private:
  GuardedForge(std::unique_ptr<sdk::Forge> inner, PluginCallGuard guard)
      : inner_(std::move(inner)), guard_(std::move(guard)) {}

  sdk::Result<void> verify(const sdk::WebhookRequest& request) const override;
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest& request) const override;

  sdk::Result<std::string> publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                   const sdk::StatusReport& report, const std::string& existingId) override;
  sdk::Result<std::vector<sdk::PublishedReport>> list(const sdk::RepositoryRef& repository,
                                                      const std::string& commitSha) override;
  sdk::Result<void> cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                           const sdk::PublishedReport& report) override;

  sdk::Result<std::uint64_t> create(const sdk::ChangeRequestRef& changeRequest, const std::string& markdown) override;
  sdk::Result<void> edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                         const std::string& markdown) override;
  sdk::Result<void> react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                          sdk::Reaction reaction) override;

  sdk::Result<sdk::Permission> permissionOf(const sdk::RepositoryRef& repository, const std::string& user) override;
  sdk::Result<sdk::MergeSettings> mergeSettings(const sdk::RepositoryRef& repository) override;
  sdk::Result<std::int64_t> commitTime(const sdk::RepositoryRef& repository, const std::string& sha) override;
  sdk::Result<void> merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                          const std::string& expectedHeadSha) override;

  sdk::Result<sdk::CloneCredentials> cloneCredentials(const sdk::RepositoryRef& repository) override;

  std::unique_ptr<sdk::Forge> inner_;
  PluginCallGuard guard_;
  sdk::ForgeWebhooks* webhooks_ = nullptr;
  sdk::ForgeReports* reports_ = nullptr;
  sdk::ForgeComments* comments_ = nullptr;
  sdk::ForgeMerges* merges_ = nullptr;
  sdk::ForgeInstallations* installations_ = nullptr;
};

}  // namespace ekaci::plugin_host
