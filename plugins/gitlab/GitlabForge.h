#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "GitlabWebhooks.h"
#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/HostServices.h"
#include "forgekit/AccessToken.h"
#include "forgekit/RestClient.h"

namespace ekaci::gitlab {

// GitLab through its REST API (/api/v4) with a project, group or personal access token
// (PRIVATE-TOKEN) or an OAuth token (Authorization: Bearer): reports as commit statuses named
// after the report, merge-request notes edited in place, award emoji as reactions, member
// access levels as permissions, the project's merge method and squash option, and merges
// pinned to the head commit. Projects are addressed by id when the webhook gave one, else by
// their URL-encoded path (namespace%2Fproject).
//
// GitLab's statuses are state machines: posting the state a status already has is refused
// (400), so a report whose text changed but whose state did not is not posted again, and a
// refused transition to the state the status already has counts as delivered. A 409 (a
// concurrent update) is retried by the kernel's outbox.
class GitlabForge : public sdk::Forge,
                    public sdk::ForgeReports,
                    public sdk::ForgeComments,
                    public sdk::ForgeMerges,
                    public sdk::ForgeInstallations {
 public:
  static constexpr std::size_t kMaxDescription = 255;
  static constexpr std::size_t kMaxNote = 1000000;

  GitlabForge(std::unique_ptr<GitlabWebhooks> webhooks, std::string apiUrl,
              std::unique_ptr<forgekit::AccessToken> token, bool oauth, sdk::HostServices& host);

  sdk::ForgeCapabilities capabilities() const override;
  sdk::ForgeWebhooks& webhooks() override { return *webhooks_; }
  sdk::ForgeReports* reports() override { return this; }
  sdk::ForgeComments* comments() override { return this; }
  sdk::ForgeMerges* merges() override { return this; }
  sdk::ForgeInstallations* installations() override { return this; }

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
  // PUT …/merge_requests/:iid/merge with sha (and squash): GitLab refuses when the head moved.
  sdk::Result<void> merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                          const std::string& expectedHeadSha) override;

  sdk::Result<sdk::CloneCredentials> cloneCredentials(const sdk::RepositoryRef& repository) override;

  // GitLab's status state for a commit state (pending, running, success, failed, canceled, skipped).
  static const char* stateName(sdk::CommitState state);
  static sdk::CommitState stateOf(const std::string& name);
  // /projects/<id or URL-encoded path>
  static std::string projectPath(const sdk::RepositoryRef& repository);

 private:
  sdk::Result<std::string> call(const std::string& method, const std::string& path, const std::string& body = "",
                                const std::map<int, sdk::ErrorCode>& meaning = {});

  std::unique_ptr<GitlabWebhooks> webhooks_;
  forgekit::RestClient client_;
  std::unique_ptr<forgekit::AccessToken> token_;
  bool oauth_;
  sdk::HostServices& host_;
  // The state last posted per project, commit and name, so an unchanged state is not posted again.
  std::mutex mutex_;
  std::map<std::string, std::string> posted_;
};

}  // namespace ekaci::gitlab
