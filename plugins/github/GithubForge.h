#pragma once

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
class GithubForge : public sdk::Forge, public sdk::ForgeReports, public sdk::ForgeInstallations {
 public:
  static constexpr std::size_t kMaxSummary = 65535;

  GithubForge(std::unique_ptr<GithubWebhooks> webhooks, std::vector<std::unique_ptr<GithubApp>> apps,
              sdk::HostServices& host);

  sdk::ForgeCapabilities capabilities() const override;
  sdk::ForgeWebhooks& webhooks() override { return *webhooks_; }
  sdk::ForgeReports* reports() override { return this; }
  sdk::ForgeInstallations* installations() override { return this; }

  sdk::Result<std::string> publish(const sdk::RepositoryRef& repository, const std::string& commitSha,
                                   const sdk::StatusReport& report, const std::string& existingId) override;
  sdk::Result<std::vector<sdk::PublishedReport>> list(const sdk::RepositoryRef& repository,
                                                      const std::string& commitSha) override;
  sdk::Result<void> cancel(const sdk::RepositoryRef& repository, const std::string& commitSha,
                           const sdk::PublishedReport& report) override;
  sdk::Result<sdk::CloneCredentials> cloneCredentials(const sdk::RepositoryRef& repository) override;

  // The check-run body GitHub's API takes for `report` (name and head_sha only on create).
  static std::string checkRunBody(const sdk::StatusReport& report, const std::string& headSha, bool create,
                                  const std::string& now);

 private:
  sdk::Result<GithubApp*> appFor(const sdk::RepositoryRef& repository);
  sdk::Result<std::string> call(GithubApp& app, const sdk::RepositoryRef& repository, const std::string& method,
                                const std::string& path, const std::string& body);

  std::unique_ptr<GithubWebhooks> webhooks_;
  std::vector<std::unique_ptr<GithubApp>> apps_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::github
