#pragma once

#include <Poco/JSON/Object.h>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "GithubApp.h"
#include "GithubWebhooks.h"
#include "ekaci/sdk/Forge.h"
#include "ekaci/sdk/HostServices.h"

namespace ekaci::github {

// GitHub through GitHub Apps: webhooks verified with the shared secret, reports as check
// runs (created, then updated in place by id; listed to be found again after a restart),
// installation tokens as clone credentials. Each repository is served by the first
// configured app whose permissions allow it; a repository none allows is refused with
// ForgeRepositoryNotAllowed (counted).
class GithubForge : public sdk::Forge,
                    public sdk::ForgeReports,
                    public sdk::ForgeComments,
                    public sdk::ForgeMerges,
                    public sdk::ForgeInstallations {
 public:
  static constexpr std::size_t kMaxSummary = 65535;

  GithubForge(std::unique_ptr<GithubWebhooks> webhooks, std::vector<std::unique_ptr<GithubApp>> apps,
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
  sdk::Result<sdk::CloneCredentials> cloneCredentials(const sdk::RepositoryRef& repository) override;

  // Comments and reactions on the pull request's conversation (GitHub's issue comments).
  sdk::Result<std::uint64_t> create(const sdk::ChangeRequestRef& changeRequest, const std::string& markdown) override;
  sdk::Result<void> edit(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                         const std::string& markdown) override;
  sdk::Result<void> react(const sdk::ChangeRequestRef& changeRequest, std::uint64_t commentId,
                          sdk::Reaction reaction) override;

  sdk::Result<sdk::Permission> permissionOf(const sdk::RepositoryRef& repository, const std::string& user) override;
  sdk::Result<sdk::MergeSettings> mergeSettings(const sdk::RepositoryRef& repository) override;
  sdk::Result<std::int64_t> commitTime(const sdk::RepositoryRef& repository, const std::string& sha) override;
  // PUT …/pulls/{n}/merge with merge_method and sha: GitHub refuses when the head moved.
  sdk::Result<void> merge(const sdk::ChangeRequestRef& changeRequest, sdk::MergeMethod method,
                          const std::string& expectedHeadSha) override;

  // The check-run body GitHub's API takes for `report` (name and head_sha only on create).
  static std::string checkRunBody(const sdk::StatusReport& report, const std::string& headSha, bool create,
                                  const std::string& now);

 private:
  sdk::Result<GithubApp*> appFor(const sdk::RepositoryRef& repository);
  sdk::Result<std::string> call(GithubApp& app, const sdk::RepositoryRef& repository, const std::string& method,
                                const std::string& path, const std::string& body,
                                const std::map<int, sdk::ErrorCode>& meaning = {});
  // call() through the app that serves the repository, the answer parsed as a JSON object.
  sdk::Result<Poco::JSON::Object::Ptr> callJson(const sdk::RepositoryRef& repository, const std::string& method,
                                                const std::string& path, const std::string& body,
                                                const std::map<int, sdk::ErrorCode>& meaning = {});
  static std::string repoPath(const sdk::RepositoryRef& repository);

  std::unique_ptr<GithubWebhooks> webhooks_;
  std::vector<std::unique_ptr<GithubApp>> apps_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::github
