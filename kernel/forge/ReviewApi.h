#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "ekaci/sdk/Result.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// The HTTP API's view of forge reviews, as JSON (and Markdown) documents: the change summary
// of a head, its package changes and rebuild impact (with the manual's query parameters:
// base_sha, job, max_packages_listed — default 100, clamped to 1000 — and
// max_top_blast_radius — default 5, clamped to 50), the reports published on it, and the
// pull requests the server knows. Read-only; the router maps errors to statuses.
class ReviewApi {
 public:
  using Query = std::map<std::string, std::string>;

  explicit ReviewApi(storage::Storage& storage) : storage_(storage) {}

  sdk::Result<std::string> changeSummary(const std::string& sha, const Query& query);
  sdk::Result<std::string> changeSummaryMarkdown(const std::string& sha, const Query& query);
  sdk::Result<std::string> packageChanges(const std::string& sha, const Query& query);
  sdk::Result<std::string> rebuildImpact(const std::string& sha, const Query& query);
  sdk::Result<std::string> checkRuns(const std::string& sha);
  sdk::Result<std::string> pullRequests(const Query& query);
  sdk::Result<std::string> pullRequest(const std::string& owner, const std::string& name, const std::string& number);
  sdk::Result<std::string> approvedUsers();

  // A query number within [min, max]; `fallback` when absent. InvalidArgument when not a number.
  static sdk::Result<std::int64_t> number(const Query& query, const std::string& key, std::int64_t fallback,
                                          std::int64_t min, std::int64_t max);

 private:
  sdk::Result<storage::ForgeReviewRecord> latestReview(const std::string& sha, const Query& query);
  // The latest review's header and, per job (selected by the query), what `select` takes of it.
  sdk::Result<std::string> perJob(const std::string& sha, const Query& query,
                                  const std::function<Poco::JSON::Object::Ptr(const Poco::JSON::Object::Ptr&)>& select);

  storage::Storage& storage_;
};

}  // namespace ekaci::forge
