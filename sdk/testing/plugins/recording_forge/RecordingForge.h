#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/HostServices.h"

namespace ekaci::reference {

// The reference Forge, with every capability. Deliveries are `key=value` lines signed with
// HMAC-SHA256 in the X-Ekaci-Signature-256 header (the same scheme GitHub and Gitea use); an
// `event` it does not know is an event of kind Other. Everything the server asks of the
// forge is appended to <state dir>/recording.log, one line per call; reports and comments are
// kept in memory so that they can be updated, listed, cancelled and edited.
class RecordingForge final : public sdk::Forge,
                             public sdk::ForgeWebhooks,
                             public sdk::ForgeReports,
                             public sdk::ForgeComments,
                             public sdk::ForgeMerges,
                             public sdk::ForgeInstallations {
 public:
  RecordingForge(std::string secret, std::map<std::string, sdk::Permission> permissions, sdk::HostServices& host);

  sdk::ForgeCapabilities capabilities() const override;
  sdk::ForgeWebhooks& webhooks() override { return *this; }
  sdk::ForgeReports* reports() override { return this; }
  sdk::ForgeComments* comments() override { return this; }
  sdk::ForgeMerges* merges() override { return this; }
  sdk::ForgeInstallations* installations() override { return this; }

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

  // HMAC-SHA256 of body under secret, as "sha256=<hex>".
  static std::string sign(const std::string& secret, const std::string& body);

 private:
  void record(const std::string& line);

  std::string secret_;
  std::map<std::string, sdk::Permission> permissions_;
  sdk::HostServices& host_;
  std::filesystem::path logPath_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::string> heads_;                  // "owner/name#number" -> head sha
  std::map<std::string, std::vector<sdk::PublishedReport>> reports_;  // "owner/name@sha" -> reports
  std::map<std::uint64_t, std::string> comments_;                     // id -> change request key
  std::uint64_t nextId_ = 1;
};

}  // namespace ekaci::reference
