#pragma once

#include <map>
#include <memory>

#include "GiteaWebhooks.h"
#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/HostServices.h"
#include "forgekit/AccessToken.h"
#include "forgekit/RestClient.h"

namespace ekaci::gitea {

// Gitea and Forgejo through their REST API (/api/v1) with an access token: reports as
// commit statuses whose context is the report's name (a report is updated by posting its
// context again; the latest status of each context is its state), comments and reactions
// on the pull request's conversation, collaborator permissions, the repository's merge
// settings and merges pinned to the head commit.
class GiteaForge : public sdk::Forge,
                   public sdk::ForgeReports,
                   public sdk::ForgeComments,
                   public sdk::ForgeMerges,
                   public sdk::ForgeInstallations {
 public:
  static constexpr std::size_t kMaxDescription = 255;
  static constexpr std::size_t kMaxComment = 65535;

  GiteaForge(std::unique_ptr<GiteaWebhooks> webhooks, std::string apiUrl, std::unique_ptr<forgekit::AccessToken> token,
             sdk::HostServices& host);

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
  // POST …/pulls/{index}/merge with Do and head_commit_id: Gitea refuses when the head moved.
  sdk::Result<void> merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                          const std::string& expectedHeadSha) override;

  sdk::Result<sdk::CloneCredentials> cloneCredentials(const sdk::RepositoryRef& repository) override;

  // Gitea's status state for a commit state (pending, success, error, failure, warning).
  static const char* stateName(sdk::CommitState state);
  static sdk::CommitState stateOf(const std::string& name);

 private:
  sdk::Result<std::string> call(const std::string& method, const std::string& path, const std::string& body = "",
                                const std::map<int, sdk::ErrorCode>& meaning = {});
  static std::string repoPath(const sdk::RepositoryRef& repository);

  std::unique_ptr<GiteaWebhooks> webhooks_;
  forgekit::RestClient client_;
  std::unique_ptr<forgekit::AccessToken> token_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::gitea
