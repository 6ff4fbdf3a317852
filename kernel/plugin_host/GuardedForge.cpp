#include "kernel/plugin_host/GuardedForge.h"

namespace ekaci::plugin_host {

sdk::Result<std::unique_ptr<GuardedForge>> GuardedForge::wrap(std::unique_ptr<sdk::Forge> inner,
                                                              PluginCallGuard guard) {
  std::unique_ptr<GuardedForge> out(new GuardedForge(std::move(inner), std::move(guard)));
  GuardedForge& g = *out;
  auto asked = g.guard_.call<void>("capabilities", [&]() -> sdk::Result<void> {
    g.webhooks_ = &g.inner_->webhooks();
    g.reports_ = g.inner_->reports();
    g.comments_ = g.inner_->comments();
    g.merges_ = g.inner_->merges();
    g.installations_ = g.inner_->installations();
    return sdk::success();
  });
  if (!asked) return std::move(asked).error();
  return out;
}

sdk::Result<void> GuardedForge::start() {
  return guard_.call<void>("start", [&] { return inner_->start(); });
}

void GuardedForge::stop() {
  (void)guard_.call<void>("stop", [&] {
    inner_->stop();
    return sdk::success();
  });
}

sdk::ForgeCapabilities GuardedForge::capabilities() const {
  return guard_.value("capabilities", sdk::ForgeCapabilities{}, [&] { return inner_->capabilities(); });
}

sdk::Result<void> GuardedForge::verify(const sdk::WebhookRequest& request) const {
  return guard_.call<void>("webhooks.verify", [&] { return webhooks_->verify(request); });
}

sdk::Result<std::vector<sdk::ForgeEvent>> GuardedForge::parse(const sdk::WebhookRequest& request) const {
  return guard_.call<std::vector<sdk::ForgeEvent>>("webhooks.parse", [&] { return webhooks_->parse(request); });
}

sdk::Result<std::string> GuardedForge::publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                               const sdk::StatusReport& report, const std::string& existingId) {
  return guard_.call<std::string>("reports.publish",
                                  [&] { return reports_->publish(repository, commitSha, report, existingId); });
}

sdk::Result<std::vector<sdk::PublishedReport>> GuardedForge::list(const sdk::RepositoryRef& repository,
                                                                  const std::string& commitSha) {
  return guard_.call<std::vector<sdk::PublishedReport>>("reports.list",
                                                        [&] { return reports_->list(repository, commitSha); });
}

sdk::Result<void> GuardedForge::cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                       const sdk::PublishedReport& report) {
  return guard_.call<void>("reports.cancel", [&] { return reports_->cancel(repository, commitSha, report); });
}

sdk::Result<std::uint64_t> GuardedForge::create(const sdk::ChangeRequestRef& changeRequest,
                                                const std::string& markdown) {
  return guard_.call<std::uint64_t>("comments.create", [&] { return comments_->create(changeRequest, markdown); });
}

sdk::Result<void> GuardedForge::edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                     const std::string& markdown) {
  return guard_.call<void>("comments.edit", [&] { return comments_->edit(changeRequest, commentId, markdown); });
}

sdk::Result<void> GuardedForge::react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                                      sdk::Reaction reaction) {
  return guard_.call<void>("comments.react", [&] { return comments_->react(changeRequest, commentId, reaction); });
}

sdk::Result<sdk::Permission> GuardedForge::permissionOf(const sdk::RepositoryRef& repository, const std::string& user) {
  return guard_.call<sdk::Permission>("merges.permissionOf", [&] { return merges_->permissionOf(repository, user); });
}

sdk::Result<sdk::MergeSettings> GuardedForge::mergeSettings(const sdk::RepositoryRef& repository) {
  return guard_.call<sdk::MergeSettings>("merges.mergeSettings", [&] { return merges_->mergeSettings(repository); });
}

sdk::Result<std::int64_t> GuardedForge::commitTime(const sdk::RepositoryRef& repository, const std::string& sha) {
  return guard_.call<std::int64_t>("merges.commitTime", [&] { return merges_->commitTime(repository, sha); });
}

sdk::Result<void> GuardedForge::merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                                      const std::string& expectedHeadSha) {
  return guard_.call<void>("merges.merge", [&] { return merges_->merge(changeRequest, method, expectedHeadSha); });
}

sdk::Result<sdk::CloneCredentials> GuardedForge::cloneCredentials(const sdk::RepositoryRef& repository) {
  return guard_.call<sdk::CloneCredentials>("installations.cloneCredentials",
                                            [&] { return installations_->cloneCredentials(repository); });
}

}  // namespace ekaci::plugin_host
