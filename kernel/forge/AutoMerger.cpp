#include "kernel/forge/AutoMerger.h"

#include <algorithm>

#include "kernel/forge/ForgeJson.h"

namespace ekaci::forge {

std::int64_t AutoMerger::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
}

void AutoMerger::count(const char* outcome) {
  services_.metrics
      .counter("merges_total", "Merge attempts of pull requests by eka-ci, by outcome.", {{"outcome", outcome}})
      .increment();
}

sdk::ChangeRequestRef AutoMerger::changeRequestOf(const storage::PullRequestListing& listing) {
  sdk::ChangeRequestRef cr;
  cr.repository.forgeId = listing.repository.forgeId;
  cr.repository.owner = listing.repository.owner;
  cr.repository.name = listing.repository.name;
  cr.repository.cloneUrl = listing.repository.cloneUrl;
  cr.repository.defaultBranch = listing.repository.defaultBranch;
  cr.number = static_cast<std::uint64_t>(listing.pullRequest.number);
  cr.title = listing.pullRequest.title;
  cr.author = listing.pullRequest.author;
  cr.baseBranch = listing.pullRequest.baseBranch;
  cr.baseSha = listing.pullRequest.baseSha;
  cr.headBranch = listing.pullRequest.headBranch;
  cr.headSha = listing.pullRequest.headSha;
  cr.fromFork = listing.pullRequest.fromFork;
  return cr;
}

sdk::Result<AutoMerger::HeadReview> AutoMerger::reviewOf(const std::string& forgeId, const std::string& repository,
                                                         std::int64_t number, const std::string& headSha) {
  HeadReview out;
  auto reviews = services_.storage.forgeReviewsOf(headSha);
  if (!reviews) return std::move(reviews).error();
  const std::string key = "pr/" + std::to_string(number);
  for (const auto& review : *reviews) {
    if (review.forgeId != forgeId || review.repository != repository || review.key != key) continue;
    if (review.state == "done") {
      out.concluded = true;
      out.gatesPassed = review.gatesPassed;
      auto decoded = ChangedPackages::decode(review.changedPackagesJson);
      if (!decoded) return std::move(decoded).error();
      out.changed = std::move(decoded).value();
    } else if (review.state == "failed") {
      out.concluded = true;
    }
    break;  // newest first: the latest review of this head decides
  }
  return out;
}

sdk::Result<AutoMerger::Eligibility> AutoMerger::assess(const std::string& forgeId,
                                                        const storage::PullRequestListing& listing,
                                                        const std::optional<storage::MergeRequestRecord>& request,
                                                        std::optional<sdk::MergeMethod> override) {
  Eligibility e;
  const auto& pr = listing.pullRequest;
  const std::string repository = listing.repository.owner + "/" + listing.repository.name;
  e.open = pr.state == storage::ChangeRequestState::Open;
  e.headSha = pr.headSha;
  e.autoMergeEnabled = request && request->autoMerge && request->mergedSha.empty();
  e.commandPending = request && !request->pinnedSha.empty() && request->mergedSha.empty();
  if (e.commandPending) e.pinnedSha = request->pinnedSha;

  auto review = reviewOf(forgeId, repository, pr.number, pr.headSha);
  if (!review) return std::move(review).error();
  e.reviewed = review->concluded;
  e.gatesPassed = review->gatesPassed;
  const std::vector<ChangedPackage>& changed = review->changed;
  for (const auto& package : changed) e.changedPackages.push_back(package.attr);

  // Maintainer approvals of this head, for auto-merge enabled from the API.
  auto approvals = services_.storage.approvalsOf(forgeId, repository, pr.number);
  if (!approvals) return std::move(approvals).error();
  auto maintainers = services_.authority.maintainersOf(changed);
  if (!maintainers) return std::move(maintainers).error();
  for (const auto& package : changed) {
    const auto& names = (*maintainers)[package.attr];
    const bool approved = std::any_of(approvals->begin(), approvals->end(), [&](const storage::ApprovalRecord& a) {
      return (a.headSha.empty() || a.headSha == pr.headSha) && names.count(MergeAuthority::lower(a.reviewer)) != 0;
    });
    if (!approved) e.missingApprovals.push_back(package.attr);
  }
  e.hasMaintainerApprovals = !changed.empty() && e.missingApprovals.empty();

  // The command's method, then the pull request's preference, then the server's default.
  if (override) {
    e.method = override;
  } else if (e.commandPending && !request->commandMethod.empty()) {
    e.method = ForgeJson::methodOf(request->commandMethod);
  } else if (request && !request->preferredMethod.empty()) {
    e.method = ForgeJson::methodOf(request->preferredMethod);
  }
  if (!e.method) e.method = options_.defaultMethod;

  if (!e.open) {
    e.reason = "the pull request is not open";
  } else if (!e.autoMergeEnabled && !e.commandPending && !override) {
    e.reason = "no merge was asked for";
  } else if (e.commandPending && e.pinnedSha != e.headSha) {
    e.reason = "the head moved since the merge was asked for";
  } else if (!e.reviewed) {
    e.reason = "the review of " + shortSha(e.headSha) + " has not concluded";
  } else if (!e.gatesPassed) {
    e.reason = "the review of " + shortSha(e.headSha) + " did not pass (evaluation or new failing builds)";
  } else if (!e.commandPending && !override && !e.hasMaintainerApprovals) {
    e.reason = changed.empty() ? "the pull request changes no package with maintainers to approve it"
                               : "maintainer approvals are missing";
  }
  if (e.reason.empty()) {
    // Only now ask the forge what its settings allow.
    ForgeInstances::Instance* instance = services_.forges.find(forgeId);
    sdk::ForgeMerges* merges = instance != nullptr ? instance->forge->merges() : nullptr;
    if (merges == nullptr) return sdk::Error(sdk::ErrorCode::Unsupported, "forge '" + forgeId + "' cannot merge");
    sdk::RepositoryRef ref = changeRequestOf(listing).repository;
    auto settings = merges->mergeSettings(ref);
    if (!settings) return std::move(settings).error();
    e.methodAllowed = settings->allows(*e.method);
    if (!e.methodAllowed) e.reason = "the repository does not allow " + ForgeJson::methodName(*e.method) + " merges";
  }
  e.eligible = e.reason.empty();
  return e;
}

sdk::Result<AutoMerger::Eligibility> AutoMerger::eligibility(const std::string& forgeId, const std::string& owner,
                                                             const std::string& name, std::int64_t number) {
  auto listing = services_.storage.findPullRequestOf(forgeId, owner, name, number);
  if (!listing) return std::move(listing).error();
  if (!*listing) {
    return sdk::Error(sdk::ErrorCode::NotFound,
                      "no pull request " + owner + "/" + name + "#" + std::to_string(number) + " is known");
  }
  auto request = services_.storage.findMergeRequest(forgeId, owner + "/" + name, number);
  if (!request) return std::move(request).error();
  return assess(forgeId, **listing, *request, std::nullopt);
}

sdk::Result<bool> AutoMerger::evaluate(const std::string& forgeId, const std::string& owner, const std::string& name,
                                       std::int64_t number) {
  std::lock_guard lock(mutex_);
  return mergeLocked(forgeId, owner, name, number, std::nullopt, "", false);
}

sdk::Result<void> AutoMerger::mergeNow(const std::string& forgeId, const std::string& owner, const std::string& name,
                                       std::int64_t number, std::optional<sdk::MergeMethod> method,
                                       const std::string& by) {
  std::lock_guard lock(mutex_);
  auto merged = mergeLocked(forgeId, owner, name, number, method ? method : options_.defaultMethod, by, true);
  if (!merged) return std::move(merged).error();
  return sdk::success();
}

sdk::Result<bool> AutoMerger::mergeLocked(const std::string& forgeId, const std::string& owner, const std::string& name,
                                          std::int64_t number, std::optional<sdk::MergeMethod> override,
                                          const std::string& by, bool force) {
  const std::string repository = owner + "/" + name;
  auto listing = services_.storage.findPullRequestOf(forgeId, owner, name, number);
  if (!listing) return std::move(listing).error();
  if (!*listing) {
    return sdk::Error(sdk::ErrorCode::NotFound, "no pull request " + repository + "#" + std::to_string(number));
  }
  auto request = services_.storage.findMergeRequest(forgeId, repository, number);
  if (!request) return std::move(request).error();
  const sdk::ChangeRequestRef cr = changeRequestOf(**listing);
  if (*request && !(*request)->pinnedSha.empty() && (*request)->mergedSha.empty() &&
      (*request)->pinnedSha != cr.headSha) {
    auto cancelled = cancelPinned(forgeId, cr, **request, cr.headSha);
    if (!cancelled) return std::move(cancelled).error();
    *request = std::nullopt;
    if (auto again = services_.storage.findMergeRequest(forgeId, repository, number)) *request = *again;
  }
  auto e = assess(forgeId, **listing, *request, force ? override : std::nullopt);
  if (!e) return std::move(e).error();
  if (!e->eligible) {
    if (force) return sdk::Error(sdk::ErrorCode::InvalidArgument, "cannot merge: " + e->reason);
    if (!e->methodAllowed && e->reason.find("does not allow") != std::string::npos) {
      services_.logger.warn("auto-merge skipped",
                            {{"pull_request", repository + "#" + std::to_string(number)}, {"reason", e->reason}});
      count("method_not_allowed");
    }
    return false;
  }
  ForgeInstances::Instance* instance = services_.forges.find(forgeId);
  sdk::ForgeMerges* merges = instance != nullptr ? instance->forge->merges() : nullptr;
  if (merges == nullptr) return sdk::Error(sdk::ErrorCode::Unsupported, "forge '" + forgeId + "' cannot merge");
  auto merged = merges->merge(cr, *e->method, e->headSha);
  const std::string label = repository + "#" + std::to_string(number);
  if (!merged) {
    const auto code = merged.error().code();
    if (code == sdk::ErrorCode::ForgeHeadChanged) {
      count("head_changed");
      services_.logger.warn("merge refused: the head changed", {{"pull_request", label}, {"head", e->headSha}});
      if (*request && !(*request)->pinnedSha.empty()) {
        auto cancelled = cancelPinned(forgeId, cr, **request, "");
        if (!cancelled) return std::move(cancelled).error();
      }
      return false;
    }
    count(code == sdk::ErrorCode::ForgeNotMergeable ? "not_mergeable" : "error");
    services_.logger.warn("merge failed", {{"pull_request", label}, {"error", merged.error().describe()}});
    if (*request && !(*request)->pinnedSha.empty() && code == sdk::ErrorCode::ForgeNotMergeable) {
      storage::MergeRequestRecord record = **request;
      (void)services_.outbox.comment(
          forgeId, cr,
          "@" + record.requester + ", the forge refused to merge " + shortSha(e->headSha) + ": " +
              merged.error().message() +
              "\n\nThe merge stays queued: eka-ci tries again when the pull request is reviewed or approved again.");
    }
    if (force) return std::move(merged).error();
    return false;
  }
  storage::MergeRequestRecord record = request->value_or(storage::MergeRequestRecord{});
  record.forgeId = forgeId;
  record.repository = repository;
  record.number = number;
  const std::uint64_t commentId = static_cast<std::uint64_t>(record.commentId);
  const bool byCommand = !record.pinnedSha.empty();
  record.mergedSha = e->headSha;
  record.mergedMethod = ForgeJson::methodName(*e->method);
  record.mergedBy = !by.empty() ? by : byCommand ? record.requester : "auto-merge";
  record.mergedAt = nowSeconds();
  record.updatedAt = record.mergedAt;
  if (auto saved = services_.storage.saveMergeRequest(record); !saved) {
    services_.logger.error("merged but not recorded", {{"pull_request", label}, {"error", saved.error().describe()}});
  }
  storage::PullRequestRecord pr = (*listing)->pullRequest;
  pr.state = storage::ChangeRequestState::Merged;
  if (auto saved = services_.storage.upsertPullRequest(pr); !saved) {
    services_.logger.warn("merged; the pull request's state is not recorded", {{"error", saved.error().describe()}});
  }
  count("merged");
  services_.logger.info(
      "merged",
      {{"pull_request", label}, {"head", e->headSha}, {"method", record.mergedMethod}, {"by", record.mergedBy}});
  if (byCommand && commentId != 0) (void)services_.outbox.react(forgeId, cr, commentId, sdk::Reaction::Success);
  return true;
}

sdk::Result<void> AutoMerger::cancelPinned(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                           storage::MergeRequestRecord request, const std::string& currentHead) {
  const std::string pinned = request.pinnedSha;
  const std::string requester = request.requester;
  const auto commentId = static_cast<std::uint64_t>(request.commentId);
  request.clearCommand();
  request.updatedAt = nowSeconds();
  if (auto saved = services_.storage.saveMergeRequest(request); !saved) return saved;
  count("cancelled_drift");
  if (commentId != 0) (void)services_.outbox.react(forgeId, changeRequest, commentId, sdk::Reaction::Confused);
  std::string text = "@" + requester + ", the merge you asked for was cancelled: it was pinned to " + shortSha(pinned);
  text += currentHead.empty() ? " and the forge says the head has changed since."
                              : " and the head is now " + shortSha(currentHead) + ".";
  text += " Review the new commits and comment `@eka-ci merge` again to merge them.";
  return services_.outbox.comment(forgeId, changeRequest, text);
}

sdk::Result<bool> AutoMerger::headMoved(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                        const std::string& newHead) {
  std::lock_guard lock(mutex_);
  auto request = services_.storage.findMergeRequest(forgeId, changeRequest.repository.fullName(),
                                                    static_cast<std::int64_t>(changeRequest.number));
  if (!request) return std::move(request).error();
  if (!*request || (*request)->pinnedSha.empty() || !(*request)->mergedSha.empty() ||
      (*request)->pinnedSha == newHead) {
    return false;
  }
  auto cancelled = cancelPinned(forgeId, changeRequest, **request, newHead);
  if (!cancelled) return std::move(cancelled).error();
  return true;
}

void AutoMerger::evaluatePending() {
  auto pending = services_.storage.pendingMergeRequests();
  if (!pending) {
    services_.logger.warn("cannot read pending merges", {{"error", pending.error().describe()}});
    return;
  }
  for (const auto& request : *pending) {
    const auto slash = request.repository.find('/');
    if (slash == std::string::npos) continue;
    auto merged = evaluate(request.forgeId, request.repository.substr(0, slash), request.repository.substr(slash + 1),
                           request.number);
    if (!merged) {
      services_.logger.warn("auto-merge evaluation failed",
                            {{"pull_request", request.repository + "#" + std::to_string(request.number)},
                             {"error", merged.error().describe()}});
    }
  }
}

}  // namespace ekaci::forge
