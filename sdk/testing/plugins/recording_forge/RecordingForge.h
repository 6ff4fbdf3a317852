#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/HostServices.h"

namespace ekaci::reference {

// The reference Forge. Deliveries are `key=value` lines signed with HMAC-SHA256 in the
// X-Ekaci-Signature-256 header (the same scheme GitHub and Gitea use); everything the
// server asks of the forge is appended to <state dir>/recording.log, one line per call.
class RecordingForge : public sdk::Forge {
 public:
  RecordingForge(std::string secret, std::map<std::string, sdk::Permission> permissions, sdk::HostServices& host);

  sdk::ForgeCapabilities capabilities() const override;
  sdk::Result<void> verifyWebhook(const sdk::WebhookRequest& request) const override;
  sdk::Result<std::vector<sdk::ForgeEvent>> parseWebhook(const sdk::WebhookRequest& request) const override;
  sdk::Result<std::string> report(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                  const sdk::StatusReport& report) override;
  sdk::Result<std::uint64_t> comment(const sdk::ChangeRequestRef& changeRequest, const std::string& markdown) override;
  sdk::Result<void> react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                          sdk::Reaction reaction) override;
  sdk::Result<sdk::Permission> permissionOf(const sdk::RepositoryRef& repository, const std::string& user) override;
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
  mutable std::map<std::string, std::string> heads_;  // "owner/name#number" -> head sha
  std::uint64_t nextId_ = 1;
};

}  // namespace ekaci::reference
