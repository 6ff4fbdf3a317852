#include "kernel/forge/ReviewApi.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace ekaci::forge {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  return out.str();
}

sdk::Result<void> checkSha(const std::string& sha) {
  const bool hex = !sha.empty() && std::all_of(sha.begin(), sha.end(),
                                               [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex || sha.size() < 7 || sha.size() > 64) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "a commit is named by its hexadecimal SHA");
  }
  return sdk::success();
}

sdk::Result<Object::Ptr> reportOf(const storage::ForgeReviewRecord& review) {
  try {
    Poco::JSON::Parser parser;
    return parser.parse(review.reportJson).extract<Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::StorageQuery, "the stored review is not JSON: " + e.displayText());
  }
}

// The report's jobs, only `job` when the query names one.
Array::Ptr jobsOf(const Object::Ptr& report, const ReviewApi::Query& query) {
  Array::Ptr out = new Array;
  auto jobs = report->getArray("jobs");
  const auto wanted = query.find("job");
  for (std::size_t i = 0; jobs && i < jobs->size(); ++i) {
    auto job = jobs->getObject(static_cast<unsigned>(i));
    if (wanted != query.end() && job->getValue<std::string>("job") != wanted->second) continue;
    out->add(job);
  }
  return out;
}

Object::Ptr header(const storage::ForgeReviewRecord& review) {
  Object::Ptr o = new Object;
  o->set("head_sha", review.headSha);
  o->set("base_sha", review.baseSha);
  o->set("repository", review.repository);
  o->set("forge", review.forgeId);
  o->set("review", review.key);
  return o;
}

}  // namespace

sdk::Result<std::int64_t> ReviewApi::number(const Query& query, const std::string& key, std::int64_t fallback,
                                            std::int64_t min, std::int64_t max) {
  auto found = query.find(key);
  if (found == query.end()) return fallback;
  std::int64_t value = 0;
  const auto& text = found->second;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, key + " is a number");
  }
  return std::clamp(value, min, max);
}

sdk::Result<storage::ForgeReviewRecord> ReviewApi::latestReview(const std::string& sha, const Query& query) {
  if (auto valid = checkSha(sha); !valid) return valid.error();
  auto reviews = storage_.forgeReviewsOf(sha);
  if (!reviews) return std::move(reviews).error();
  const auto base = query.find("base_sha");
  for (auto& review : *reviews) {
    if (review.state != "done") continue;
    if (base != query.end() && review.baseSha.rfind(base->second, 0) != 0) continue;
    return std::move(review);
  }
  return sdk::Error(sdk::ErrorCode::NotFound, "no finished review of " + sha);
}

sdk::Result<std::string> ReviewApi::changeSummary(const std::string& sha, const Query& query) {
  auto review = latestReview(sha, query);
  if (!review) return std::move(review).error();
  auto report = reportOf(*review);
  if (!report) return std::move(report).error();
  Object::Ptr o = header(*review);
  o->set("markdown", review->markdown);
  (*report)->set("jobs", jobsOf(*report, query));
  o->set("report", *report);
  return stringify(o);
}

sdk::Result<std::string> ReviewApi::changeSummaryMarkdown(const std::string& sha, const Query& query) {
  auto review = latestReview(sha, query);
  if (!review) return std::move(review).error();
  return review->markdown;
}

sdk::Result<std::string> ReviewApi::perJob(const std::string& sha, const Query& query,
                                           const std::function<Object::Ptr(const Object::Ptr& job)>& select) {
  auto review = latestReview(sha, query);
  if (!review) return std::move(review).error();
  auto report = reportOf(*review);
  if (!report) return std::move(report).error();
  Object::Ptr o = header(*review);
  Array::Ptr jobs = new Array;
  auto all = jobsOf(*report, query);
  for (std::size_t i = 0; i < all->size(); ++i) {
    auto job = all->getObject(static_cast<unsigned>(i));
    Object::Ptr out = select(job);
    out->set("job", job->get("job"));
    jobs->add(out);
  }
  o->set("jobs", jobs);
  return stringify(o);
}

sdk::Result<std::string> ReviewApi::packageChanges(const std::string& sha, const Query& query) {
  auto limit = number(query, "max_packages_listed", 100, 0, 1000);
  if (!limit) return std::move(limit).error();
  return perJob(sha, query, [&](const Object::Ptr& job) {
    Object::Ptr out = new Object;
    out->set("counts", job->get("counts"));
    Array::Ptr changes = new Array;
    auto listed = job->getArray("changes");
    const std::size_t total = listed ? listed->size() : 0;
    for (std::size_t c = 0; c < total && c < static_cast<std::size_t>(*limit); ++c) {
      changes->add(listed->get(static_cast<unsigned>(c)));
    }
    out->set("changes", changes);
    out->set("changes_total", total);
    out->set("truncated", total > changes->size());
    out->set("eval_errors", job->get("eval_errors"));
    return out;
  });
}

sdk::Result<std::string> ReviewApi::rebuildImpact(const std::string& sha, const Query& query) {
  auto top = number(query, "max_top_blast_radius", 5, 0, 50);
  if (!top) return std::move(top).error();
  return perJob(sha, query, [&](const Object::Ptr& job) {
    Object::Ptr out = new Object;
    out->set("rebuilds", job->get("rebuilds"));
    Array::Ptr radius = new Array;
    auto names = job->getArray("top_blast_radius");
    auto changes = job->getArray("changes");
    for (std::size_t r = 0; names && r < names->size() && r < static_cast<std::size_t>(*top); ++r) {
      const std::string attr = names->getElement<std::string>(static_cast<unsigned>(r));
      Object::Ptr entry = new Object;
      entry->set("attr", attr);
      for (std::size_t c = 0; changes && c < changes->size(); ++c) {
        auto change = changes->getObject(static_cast<unsigned>(c));
        if (change->getValue<std::string>("attr") != attr) continue;
        entry->set("dependent_jobs", change->get("dependent_jobs"));
        entry->set("dependent_derivations", change->get("dependent_derivations"));
      }
      radius->add(entry);
    }
    out->set("top_blast_radius", radius);
    out->set("full_blast_radius", job->get("full_blast_radius"));
    out->set("graph", job->get("graph"));
    return out;
  });
}

sdk::Result<std::string> ReviewApi::checkRuns(const std::string& sha) {
  if (auto valid = checkSha(sha); !valid) return valid.error();
  auto reports = storage_.forgeReportsOf("", "", sha);
  if (!reports) return std::move(reports).error();
  Array::Ptr out = new Array;
  for (const auto& r : *reports) {
    Object::Ptr o = new Object;
    o->set("forge", r.forgeId);
    o->set("repository", r.repository);
    o->set("name", r.name);
    o->set("id", r.remoteId);
    o->set("state", r.state);
    o->set("updated_at", r.updatedAt);
    out->add(o);
  }
  Object::Ptr o = new Object;
  o->set("head_sha", sha);
  o->set("check_runs", out);
  return stringify(o);
}

sdk::Result<std::string> ReviewApi::pullRequests(const Query& query) {
  auto limit = number(query, "limit", 100, 1, 1000);
  if (!limit) return std::move(limit).error();
  const auto owner = query.count("owner") ? query.at("owner") : "";
  const auto repo = query.count("repo") ? query.at("repo") : "";
  auto listed = storage_.pullRequests(owner, repo, static_cast<std::size_t>(*limit));
  if (!listed) return std::move(listed).error();
  Array::Ptr out = new Array;
  for (const auto& l : *listed) {
    Object::Ptr o = new Object;
    o->set("forge", l.repository.forgeId);
    o->set("repository", l.repository.owner + "/" + l.repository.name);
    o->set("number", l.pullRequest.number);
    o->set("title", l.pullRequest.title);
    o->set("author", l.pullRequest.author);
    o->set("state", std::string(storage::toString(l.pullRequest.state)));
    o->set("base_branch", l.pullRequest.baseBranch);
    o->set("head_sha", l.pullRequest.headSha);
    o->set("from_fork", l.pullRequest.fromFork);
    o->set("updated_at", l.updatedAt);
    out->add(o);
  }
  Object::Ptr o = new Object;
  o->set("pull_requests", out);
  return stringify(o);
}

sdk::Result<std::string> ReviewApi::pullRequest(const std::string& owner, const std::string& name,
                                                const std::string& number) {
  auto n = ReviewApi::number({{"number", number}}, "number", 0, 0, INT64_MAX);
  if (!n) return std::move(n).error();
  auto listed = storage_.pullRequests(owner, name, 100000);
  if (!listed) return std::move(listed).error();
  for (const auto& l : *listed) {
    if (l.pullRequest.number != *n) continue;
    Object::Ptr o = new Object;
    o->set("forge", l.repository.forgeId);
    o->set("repository", owner + "/" + name);
    o->set("number", l.pullRequest.number);
    o->set("title", l.pullRequest.title);
    o->set("author", l.pullRequest.author);
    o->set("state", std::string(storage::toString(l.pullRequest.state)));
    o->set("base_branch", l.pullRequest.baseBranch);
    o->set("base_sha", l.pullRequest.baseSha);
    o->set("head_branch", l.pullRequest.headBranch);
    o->set("head_sha", l.pullRequest.headSha);
    o->set("from_fork", l.pullRequest.fromFork);
    Array::Ptr reviews = new Array;
    if (!l.pullRequest.headSha.empty()) {
      auto found = storage_.forgeReviewsOf(l.pullRequest.headSha);
      for (const auto& r : found ? *found : std::vector<storage::ForgeReviewRecord>{}) {
        if (r.repository != owner + "/" + name) continue;
        Object::Ptr ro = new Object;
        ro->set("state", r.state);
        ro->set("base_sha", r.baseSha);
        ro->set("error", r.error);
        ro->set("updated_at", r.updatedAt);
        reviews->add(ro);
      }
      auto runs = checkRuns(l.pullRequest.headSha);
      if (runs) {
        Poco::JSON::Parser parser;
        o->set("check_runs", parser.parse(*runs).extract<Object::Ptr>()->get("check_runs"));
      }
    }
    o->set("reviews", reviews);
    return stringify(o);
  }
  return sdk::Error(sdk::ErrorCode::NotFound, "no pull request " + owner + "/" + name + "#" + number);
}

sdk::Result<std::string> ReviewApi::approvedUsers() {
  auto users = storage_.approvedUsers();
  if (!users) return std::move(users).error();
  Array::Ptr out = new Array;
  for (const auto& u : *users) out->add(u);
  Object::Ptr o = new Object;
  o->set("approved_users", out);
  return stringify(o);
}

}  // namespace ekaci::forge
