#include "kernel/review/ReviewBuilder.h"

#include <set>
#include <thread>

#include "kernel/nix/BuildLogStore.h"

namespace ekaci::review {

std::optional<scheduler::BuildStatus> ReviewBuilder::statusOf(const std::string& drvPath) const {
  if (drvPath.empty()) return std::nullopt;
  if (auto view = scheduler_.derivation(drvPath)) return view->status;
  auto stored = storage_.drvStatus(drvPath);
  if (!stored || !*stored) return std::nullopt;
  return scheduler::statusFromName((*stored)->state);
}

std::optional<FailureLog> ReviewBuilder::failureLog(const std::string& attr, const std::string& drvPath) const {
  static constexpr std::string_view kPrefix = "dependency ", kSuffix = " failed";
  std::string current = drvPath;
  for (int hop = 0; hop < 100; ++hop) {  // a chain of transitive failures is finite; bound it anyway
    auto stored = storage_.drvStatus(current);
    if (!stored || !*stored) return std::nullopt;
    const std::string& detail = (*stored)->detail;
    if ((*stored)->state == "transitive_failure" && detail.rfind(kPrefix, 0) == 0 &&
        detail.size() > kPrefix.size() + kSuffix.size() &&
        detail.compare(detail.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
      current = detail.substr(kPrefix.size(), detail.size() - kPrefix.size() - kSuffix.size());
      continue;
    }
    auto hash = nix::BuildLogStore::drvHash(current);
    if (!hash) return std::nullopt;
    auto text = scheduler_.logs().read(*hash, 64u << 10);
    if (!text) return std::nullopt;
    return FailureLog{attr, current, nix::BuildLogStore::lastLines(*text, kFailureLogLines)};
  }
  return std::nullopt;
}

sdk::Result<std::vector<JobBuildResults>> ReviewBuilder::build(const ReviewReport& report, const Options& options,
                                                               const std::atomic<bool>* cancel,
                                                               const Progress& progress) {
  std::vector<JobBuildResults> out;
  for (const auto& job : report.jobs) {
    JobBuildResults results;
    results.job = job.job;
    results.jobsetId = job.headJobsetId;
    scheduler::JobsetBuildRequest request;
    request.jobsetId = job.headJobsetId;
    request.forgetFailures = options.forgetFailures;
    std::set<std::string> seen;
    for (const auto& change : job.changes) {
      if (change.change == ChangeClass::Removed || change.drvPath.empty()) continue;
      if (change.change != ChangeClass::Added && !change.rebuild) continue;  // metadata only: same outputs
      if (seen.insert(change.drvPath).second) request.roots.push_back({0, change.drvPath, true});
      if (options.buildBase && !change.baseDrvPath.empty() && seen.insert(change.baseDrvPath).second) {
        request.roots.push_back({0, change.baseDrvPath, false});
      }
    }
    request.rebuildCount = static_cast<std::int64_t>(request.roots.size());
    if (!request.roots.empty() && job.headJobsetId != 0) {
      if (progress) progress("job " + job.job + ": building " + std::to_string(request.roots.size()) + " derivations");
      if (options.publisher != nullptr) {
        publish::PublishTarget target{options.repository, options.branch,     report.headSha,       job.job,
                                      job.caches,         job.postBuildHooks, job.fodPostBuildHooks};
        results.notes = options.publisher->expect(request.jobsetId, std::move(target));
      }
      if (auto submitted = scheduler_.submit(request); !submitted) {
        if (options.publisher != nullptr) options.publisher->forget(request.jobsetId);
        return submitted.error();
      }
      while (!scheduler_.waitForJobset(request.jobsetId, std::chrono::seconds(2), cancel)) {
        if (cancel != nullptr && *cancel) {
          (void)scheduler_.cancel(request.jobsetId, "cancelled by the user");
          if (options.publisher != nullptr) options.publisher->forget(request.jobsetId);
          return sdk::Error(sdk::ErrorCode::Cancelled, "builds cancelled");
        }
        if (progress) {
          if (auto view = scheduler_.jobset(request.jobsetId)) {
            progress("job " + job.job + ": " + std::to_string(view->finished) + "/" +
                     std::to_string(view->derivations) + " derivations finished");
          }
        }
      }
      if (options.publisher != nullptr) options.publisher->forget(request.jobsetId);
      auto concluded = storage_.findBuildJobset(request.jobsetId);
      if (concluded && *concluded) results.state = (*concluded)->state;
    }
    for (const auto& change : job.changes) {
      if (change.change != ChangeClass::Removed && change.change != ChangeClass::Added && !change.rebuild) continue;
      review::JobBuild jb;
      jb.attr = change.attr;
      if (change.change == ChangeClass::Removed) {
        jb.baseDrv = change.drvPath;
      } else {
        jb.headDrv = change.drvPath;
        jb.baseDrv = change.baseDrvPath;
      }
      jb.head = statusOf(jb.headDrv);
      jb.base = statusOf(jb.baseDrv);
      auto verdict = review::JobVerdict::judge(jb);
      if (verdict.verdict == review::Verdict::NewlyFailing && results.failureLogs.size() < kFailureLogs) {
        if (auto log = failureLog(change.attr, jb.headDrv)) results.failureLogs.push_back(std::move(*log));
      }
      switch (verdict.verdict) {
        case review::Verdict::NewlyFailing:
          ++results.newlyFailing;
          break;
        case review::Verdict::NewlySucceeding:
          ++results.newlySucceeding;
          break;
        case review::Verdict::StillFailing:
          ++results.stillFailing;
          break;
        case review::Verdict::StillSucceeding:
          ++results.stillSucceeding;
          break;
        case review::Verdict::Removed:
          ++results.removed;
          break;
        case review::Verdict::Unfinished:
          ++results.unfinished;
          break;
      }
      results.verdicts.push_back(std::move(verdict));
    }
    out.push_back(std::move(results));
  }
  return out;
}

}  // namespace ekaci::review
