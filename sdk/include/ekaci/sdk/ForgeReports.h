#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

// Reports on commits: GitHub check runs, Gitea and GitLab commit statuses.
//
// Threading: called on the kernel's outbox threads, concurrently for different reports.
// Errors: a failure the forge asks to be retried later (rate limits, 5xx) carries
// Error::retryAfter(); the kernel retries, never the plugin.
class EKACI_SDK_API ForgeReports {
 public:
  virtual ~ForgeReports();

  // Creates the report (existingId empty) or updates the one with that id; returns the
  // forge's id for it. Summaries longer than the forge allows are cut by the plugin.
  virtual Result<std::string> publish(const RepositoryRef& repository, const std::string& commitSha,
                                      const StatusReport& report, const std::string& existingId) = 0;

  // The reports of this server on the commit, to find them again after a restart.
  virtual Result<std::vector<PublishedReport>> list(const RepositoryRef& repository, const std::string& commitSha) = 0;

  // Ends a report that will not finish (a superseded head, a closed change request): a
  // check run becomes cancelled/neutral, a status the forge's closest state.
  virtual Result<void> cancel(const RepositoryRef& repository, const std::string& commitSha,
                              const PublishedReport& report) = 0;
};

}  // namespace ekaci::sdk
