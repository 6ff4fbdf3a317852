#include "kernel/forge/PullRequestFlow.h"

#include <algorithm>

#include "kernel/forge/ChangedPackages.h"
#include "kernel/forge/ForgeJson.h"
#include "kernel/forge/MergeQueueRef.h"
#include "kernel/forge/ReviewReports.h"
#include "kernel/review/JsonRenderer.h"
#include "kernel/review/MarkdownRenderer.h"

namespace ekaci::forge {
namespace {

bool isReviewTrigger(const sdk::ForgeEvent& event) {
  switch (event.kind) {
    case sdk::ForgeEventKind::ChangeRequestOpened:
    case sdk::ForgeEventKind::ChangeRequestUpdated:
    case sdk::ForgeEventKind::ChangeRequestReopened:
    case sdk::ForgeEventKind::ChangeRequestReadyForReview:
      return true;
    case sdk::ForgeEventKind::ChangeRequestEdited:
      return event.baseChanged;
    default:
      return false;
  }
}

const std::vector<double> kReviewBuckets = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200};

}  // namespace

PullRequestFlow::PullRequestFlow(Services services, Options options)
    : services_(std::move(services)), options_(std::move(options)), queue_(options_.concurrentReviews) {}

PullRequestFlow::~PullRequestFlow() {
  stop();
}

void PullRequestFlow::stop() {
  stopping_ = true;
  queue_.stop();
}

std::int64_t PullRequestFlow::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
}

std::string PullRequestFlow::keyOf(const sdk::ForgeEvent& event) {
  if (event.kind == sdk::ForgeEventKind::MergeQueueEntry || event.kind == sdk::ForgeEventKind::MergeQueueRemoved) {
    return "merge-queue/" + event.ref;
  }
  return "pr/" + std::to_string(event.changeRequest.number);
}

const sdk::RepositoryRef& PullRequestFlow::reportRepository(const sdk::ForgeEvent& event) {
  return event.changeRequest.number != 0 ? event.changeRequest.repository : event.repository;
}

std::string PullRequestFlow::headOf(const sdk::ForgeEvent& event) {
  if (event.kind == sdk::ForgeEventKind::MergeQueueEntry || event.kind == sdk::ForgeEventKind::MergeQueueRemoved) {
    return event.afterSha;
  }
  return event.changeRequest.headSha;
}

sdk::Result<void> PullRequestFlow::handle(const std::string& forgeId, const sdk::ForgeEvent& event) {
  if (isReviewTrigger(event)) return changeRequestUpdated(forgeId, event);
  switch (event.kind) {
    case sdk::ForgeEventKind::ChangeRequestClosed:
      return changeRequestEnded(forgeId, event, false);
    case sdk::ForgeEventKind::ChangeRequestMerged:
      return changeRequestEnded(forgeId, event, true);
    case sdk::ForgeEventKind::MergeQueueEntry:
      return mergeQueueEntry(forgeId, event);
    case sdk::ForgeEventKind::MergeQueueRemoved: {
      queue_.cancel(forgeId + "/" + event.repository.fullName() + "/" + keyOf(event));
      if (!event.afterSha.empty()) {
        return services_.outbox.cancelOpen(forgeId, event.repository, event.afterSha,
                                           "The merge-queue entry was removed.");
      }
      return sdk::success();
    }
    case sdk::ForgeEventKind::RerunRequested:
      return rerun(forgeId, event);
    case sdk::ForgeEventKind::Comment:
      return services_.commands != nullptr ? services_.commands->handle(forgeId, event) : sdk::success();
    case sdk::ForgeEventKind::ReviewSubmitted:
    case sdk::ForgeEventKind::ReviewDismissed:
      return reviewed(forgeId, event);
    case sdk::ForgeEventKind::Installation:
      services_.logger.info("app installation changed",
                            {{"forge", forgeId},
                             {"installation", event.installationId},
                             {"action", event.action},
                             {"repositories", std::to_string(event.installationRepositories.size())}});
      return sdk::success();
    default:
      // Comments, reviews, drafts, pings and what the server does not act on: stored, counted.
      return sdk::success();
  }
}

void PullRequestFlow::evaluateMerge(const std::string& forgeId, const sdk::RepositoryRef& repository,
                                    std::uint64_t number) {
  if (services_.merger == nullptr || number == 0) return;
  auto merged =
      services_.merger->evaluate(forgeId, repository.owner, repository.name, static_cast<std::int64_t>(number));
  if (!merged) {
    services_.logger.warn(
        "auto-merge evaluation failed",
        {{"pull_request", repository.fullName() + "#" + std::to_string(number)}, {"error", merged.error().describe()}});
  }
}

sdk::Result<void> PullRequestFlow::mergeQueueEntry(const std::string& forgeId, const sdk::ForgeEvent& event) {
  if (!options_.mergeQueueRequireApproval) return enqueue(forgeId, event);
  // The entry is built when the author of the pull request it was made for is approved (the
  // merge group itself names no author, only its commit's, which anyone can write).
  std::string author;
  if (auto number = MergeQueueRef::pullRequestOf(event.ref)) {
    auto listing = services_.storage.findPullRequestOf(forgeId, event.repository.owner, event.repository.name,
                                                       static_cast<std::int64_t>(*number));
    if (!listing) return std::move(listing).error();
    if (*listing) author = (*listing)->pullRequest.author;
  }
  if (!author.empty()) {
    auto ok = approved(author);
    if (!ok) return std::move(ok).error();
    if (*ok) return enqueue(forgeId, event);
  }
  services_.metrics.counter("reviews_awaiting_approval_total", "Pull requests held by require_approval.", {})
      .increment();
  services_.logger.info("merge-queue entry waits for approval", {{"ref", event.ref}, {"author", author}});
  return services_.outbox.publish(forgeId, event.repository, event.afterSha,
                                  ReviewReports::approvalRequired(author.empty() ? "unknown" : author));
}

sdk::Result<void> PullRequestFlow::reviewed(const std::string& forgeId, const sdk::ForgeEvent& event) {
  const auto& cr = event.changeRequest;
  if (cr.number == 0 || event.reviewer.empty()) return sdk::success();
  // An approval counts for the head it approved; dismissing it or requesting changes
  // withdraws the reviewer's approval.
  const bool approved = event.kind == sdk::ForgeEventKind::ReviewSubmitted && event.reviewState == "approved";
  if (event.kind == sdk::ForgeEventKind::ReviewSubmitted && !approved && event.reviewState != "changes_requested") {
    return sdk::success();  // a plain comment review changes nothing
  }
  storage::ApprovalRecord approval{event.reviewer, cr.headSha, nowSeconds()};
  if (auto saved = services_.storage.setApproval(forgeId, cr.repository.fullName(),
                                                 static_cast<std::int64_t>(cr.number), approval, approved);
      !saved) {
    return saved;
  }
  evaluateMerge(forgeId, cr.repository, cr.number);
  return sdk::success();
}

sdk::Result<bool> PullRequestFlow::approved(const std::string& login) {
  auto users = services_.storage.approvedUsers();
  if (!users) return std::move(users).error();
  return std::any_of(users->begin(), users->end(), [&](const std::string& user) {
    return user.size() == login.size() && std::equal(user.begin(), user.end(), login.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
  });
}

sdk::Result<std::optional<storage::PullRequestRecord>> PullRequestFlow::recordPullRequest(
    const std::string& forgeId, const sdk::ChangeRequestRef& cr, storage::ChangeRequestState state) {
  storage::RepositoryRecord repository{0,
                                       forgeId,
                                       cr.repository.owner,
                                       cr.repository.name,
                                       cr.repository.cloneUrl,
                                       cr.repository.defaultBranch.empty() ? "main" : cr.repository.defaultBranch};
  auto repositoryId = services_.storage.upsertRepository(repository);
  if (!repositoryId) return std::move(repositoryId).error();
  auto previous = services_.storage.findPullRequest(*repositoryId, static_cast<std::int64_t>(cr.number));
  if (!previous) return std::move(previous).error();
  storage::PullRequestRecord record;
  record.repositoryId = *repositoryId;
  record.number = static_cast<std::int64_t>(cr.number);
  record.title = cr.title;
  // A forge that names the author only by id (GitLab, when someone else pushed) keeps the
  // author recorded before.
  record.author = cr.author.empty() && *previous ? (*previous)->author : cr.author;
  record.state = state;
  record.baseBranch = cr.baseBranch;
  record.baseSha = cr.baseSha;
  record.headBranch = cr.headBranch;
  record.headSha = cr.headSha;
  record.fromFork = cr.fromFork;
  if (auto saved = services_.storage.upsertPullRequest(record); !saved) return std::move(saved).error();
  return previous;
}

sdk::Result<void> PullRequestFlow::changeRequestUpdated(const std::string& forgeId, const sdk::ForgeEvent& event) {
  const auto& cr = event.changeRequest;
  if (cr.number == 0 || cr.headSha.empty() || cr.repository.cloneUrl.empty()) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "the event names no pull request head to review");
  }
  auto previous = recordPullRequest(forgeId, cr, storage::ChangeRequestState::Open);
  if (!previous) return std::move(previous).error();
  if (*previous && !(*previous)->headSha.empty() && (*previous)->headSha != cr.headSha) {
    // The older head's review stops (the queue cancels it when the new one is submitted)
    // and its reports say why.
    if (auto cancelled = services_.outbox.cancelOpen(forgeId, cr.repository, (*previous)->headSha,
                                                     "Superseded by " + cr.headSha.substr(0, 12) + ".");
        !cancelled) {
      return cancelled;
    }
    if (services_.merger != nullptr) {
      if (auto moved = services_.merger->headMoved(forgeId, cr, cr.headSha); !moved) return std::move(moved).error();
    }
  }
  if (options_.requireApproval && cr.fromFork) {
    const std::string author = !cr.author.empty() ? cr.author : *previous ? (*previous)->author : std::string();
    auto ok = approved(author);  // an author nobody named is nobody approved
    if (!ok) return std::move(ok).error();
    if (!*ok) {
      services_.metrics.counter("reviews_awaiting_approval_total", "Pull requests held by require_approval.", {})
          .increment();
      return services_.outbox.publish(forgeId, cr.repository, cr.headSha,
                                      ReviewReports::approvalRequired(author.empty() ? "unknown" : author));
    }
  }
  return enqueue(forgeId, event);
}

sdk::Result<void> PullRequestFlow::changeRequestEnded(const std::string& forgeId, const sdk::ForgeEvent& event,
                                                      bool merged) {
  const auto& cr = event.changeRequest;
  queue_.cancel(forgeId + "/" + cr.repository.fullName() + "/" + keyOf(event));
  auto recorded = recordPullRequest(forgeId, cr,
                                    merged ? storage::ChangeRequestState::Merged : storage::ChangeRequestState::Closed);
  if (!recorded) return std::move(recorded).error();
  if (cr.headSha.empty()) return sdk::success();
  auto reviews = services_.storage.forgeReviewsOf(cr.headSha);
  if (reviews) {
    for (auto review : *reviews) {
      if (review.forgeId != forgeId || review.repository != cr.repository.fullName()) continue;
      if (review.state != "queued" && review.state != "running") continue;
      review.state = "cancelled";
      review.updatedAt = nowSeconds();
      (void)services_.storage.saveForgeReview(review);
    }
  }
  return services_.outbox.cancelOpen(forgeId, cr.repository, cr.headSha,
                                     merged ? "The pull request was merged." : "The pull request was closed.");
}

sdk::Result<void> PullRequestFlow::rerun(const std::string& forgeId, const sdk::ForgeEvent& event) {
  const std::string head = !event.changeRequest.headSha.empty() ? event.changeRequest.headSha : event.afterSha;
  if (head.empty()) return sdk::success();
  auto reviews = services_.storage.forgeReviewsOf(head);
  if (!reviews) return std::move(reviews).error();
  std::size_t again = 0;
  for (const auto& review : *reviews) {
    if (review.forgeId != forgeId || review.repository != event.repository.fullName()) continue;
    auto stored = ForgeJson::decodeEvent(review.eventJson);
    if (!stored) continue;
    if (auto queued = enqueue(forgeId, *stored); !queued) return queued;
    ++again;
  }
  services_.logger.info("re-run requested", {{"forge", forgeId}, {"head", head}, {"reviews", std::to_string(again)}});
  return sdk::success();
}

sdk::Result<void> PullRequestFlow::enqueue(const std::string& forgeId, const sdk::ForgeEvent& event) {
  saveState(forgeId, event, "queued", "", nullptr);
  const std::string key = forgeId + "/" + reportRepository(event).fullName() + "/" + keyOf(event);
  queue_.submit(key, [this, forgeId, event](const std::atomic<bool>& cancel) { run(forgeId, event, cancel); });
  services_.metrics.counter("reviews_queued_total", "Reviews queued for pull requests and merge-queue entries.", {})
      .increment();
  return sdk::success();
}

sdk::Result<std::size_t> PullRequestFlow::resume() {
  auto unfinished = services_.storage.forgeReviewsInStates({"queued", "running"});
  if (!unfinished) return std::move(unfinished).error();
  std::size_t resumed = 0;
  for (const auto& review : *unfinished) {
    auto event = ForgeJson::decodeEvent(review.eventJson);
    if (!event) {
      services_.logger.warn("a stored review cannot be resumed", {{"error", event.error().describe()}});
      continue;
    }
    if (auto queued = enqueue(review.forgeId, *event); queued) ++resumed;
  }
  return resumed;
}

void PullRequestFlow::observeSummary(const review::ReviewReport& report, double renderSeconds, int truncationLevel,
                                     double totalSeconds) {
  auto& m = services_.metrics;
  const std::vector<double> seconds = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800};
  auto phase = [&](const char* name, double value) {
    m.histogram("change_summary_total_duration_seconds", "Wall-clock time of a change summary, by phase.",
                {{"phase", name}}, seconds)
        .observe(value);
  };
  double classify = 0, impact = 0;
  for (const auto& job : report.jobs) {
    classify += static_cast<double>(job.baseEvalMillis + job.headEvalMillis) / 1000.0;
    impact += static_cast<double>(job.impactMillis) / 1000.0;
    std::size_t rebuilds = 0, seeds = 0;
    for (const auto& system : job.rebuilds) rebuilds += system.count;
    for (const auto& change : job.changes) seeds += change.rebuild ? 1 : 0;
    m.histogram("rebuild_count", "Derivations a job of a review rebuilds.", {},
                {0, 1, 10, 100, 500, 1000, 5000, 20000, 100000})
        .observe(static_cast<double>(rebuilds));
    m.counter("rebuild_impact_seeds_total", "Changed packages the rebuild impact started from.", {})
        .increment(static_cast<double>(seeds));
    m.histogram("rebuild_impact_traversal_duration_seconds", "Time of one job's rebuild-impact walk.", {}, seconds)
        .observe(static_cast<double>(job.impactMillis) / 1000.0);
  }
  phase("classify", classify);
  phase("impact", impact);
  phase("render", renderSeconds);
  phase("end_to_end", totalSeconds);
  m.histogram("change_summary_render_seconds", "Change-summary render time.", {}, seconds).observe(renderSeconds);
  if (truncationLevel > 0) {
    m.counter("change_summary_truncated_total", "Change summaries cut to fit, by level (columns or summary).",
              {{"level", truncationLevel >= 4 ? "summary" : "columns"}})
        .increment();
  }
}

void PullRequestFlow::saveState(const std::string& forgeId, const sdk::ForgeEvent& event, const std::string& state,
                                const std::string& error, const review::ReviewReport* report) {
  storage::ForgeReviewRecord record;
  record.forgeId = forgeId;
  record.repository = reportRepository(event).fullName();
  record.key = keyOf(event);
  record.headSha = headOf(event);
  record.baseSha = event.kind == sdk::ForgeEventKind::MergeQueueEntry ? event.beforeSha : event.changeRequest.baseSha;
  record.state = state;
  record.eventJson = ForgeJson::encode(event);
  record.error = error;
  if (report != nullptr) {
    record.gatesPassed = report->clean() && report->buildsClean();
    record.changedPackagesJson = ChangedPackages::encode(ChangedPackages::of(*report));
    record.reportJson = review::JsonRenderer::render(*report);
    // The API's change-summary.md is the whole summary: no forge's size limit applies there.
    auto options = review::MarkdownRenderer::optionsFor(*report);
    options.softLimit = options.hardLimit = std::size_t{16} * 1024 * 1024;
    record.markdown = review::MarkdownRenderer::render(*report, options).markdown;
  }
  record.updatedAt = nowSeconds();
  if (auto saved = services_.storage.saveForgeReview(record); !saved) {
    services_.logger.error("cannot record a review", {{"error", saved.error().describe()}});
  }
}

void PullRequestFlow::run(const std::string& forgeId, const sdk::ForgeEvent& event, const std::atomic<bool>& cancel) {
  ForgeInstances::Instance* instance = services_.forges.find(forgeId);
  if (instance == nullptr || cancel) return;
  const auto started = services_.clock.monotonic();
  const bool mergeQueue = event.kind == sdk::ForgeEventKind::MergeQueueEntry;
  const sdk::RepositoryRef& repository = reportRepository(event);
  const std::string head = headOf(event);
  saveState(forgeId, event, "running", "", nullptr);
  auto publish = [&](const sdk::StatusReport& report, std::chrono::seconds delay = std::chrono::seconds(0)) {
    if (auto queued = services_.outbox.publish(forgeId, repository, head, report, delay); !queued) {
      services_.logger.error("cannot queue a report", {{"report", report.name}, {"error", queued.error().describe()}});
    }
  };
  auto count = [&](const char* outcome) {
    services_.metrics
        .counter("reviews_total", "Reviews of pull requests and merge-queue entries, by outcome.",
                 {{"outcome", outcome}})
        .increment();
    services_.metrics
        .histogram("review_seconds", "Wall-clock time of a forge review (fetch to reports).", {}, kReviewBuckets)
        .observe(std::chrono::duration<double>(services_.clock.monotonic() - started).count());
  };

  // A private repository is fetched with the forge's short-lived token; it stays in memory.
  std::optional<sdk::CloneCredentials> credentials;
  if (auto* installations = instance->forge->installations()) {
    auto got = installations->cloneCredentials(repository);
    if (got) {
      credentials.emplace(std::move(got).value());
    } else if (got.error().code() != sdk::ErrorCode::NotFound) {
      services_.logger.warn("no clone credentials; fetching without",
                            {{"repository", repository.fullName()}, {"error", got.error().describe()}});
    }
  }
  publish(ReviewReports::configuring());

  review::ReviewRequest request;
  request.repository = repository.cloneUrl;
  request.head = head;
  if (mergeQueue) {
    request.base = event.beforeSha;
  } else {
    // GitLab's webhooks name the target branch, not its commit: its tip as fetched.
    request.base = !event.changeRequest.baseSha.empty() || event.changeRequest.baseBranch.empty()
                       ? event.changeRequest.baseSha
                       : "refs/heads/" + event.changeRequest.baseBranch;
    request.baseIsBranchTip = true;
    if (event.changeRequest.fromFork && !event.changeRequest.headCloneUrl.empty() &&
        event.changeRequest.headCloneUrl != repository.cloneUrl) {
      request.headRepository = event.changeRequest.headCloneUrl;
    }
  }
  request.credentials = credentials ? &*credentials : nullptr;
  request.forgeId = forgeId;
  request.owner = repository.owner;
  request.name = repository.name;
  request.cancel = &cancel;

  std::vector<std::string> jobs;
  bool announced = false;
  auto progress = [&](const review::ReviewStep& step) {
    if (announced || step.jobs.empty()) return;
    announced = true;
    jobs = step.jobs;
    publish(ReviewReports::configured(jobs));
    for (const auto& job : jobs) publish(ReviewReports::evaluating(job));
  };
  // The caches' permissions see the code's origin: a merge-queue entry of the base branch, or a
  // pull request by number (its head branch is its author's to name).
  review::ReviewService::Options reviewOptions = options_.review;
  reviewOptions.builds.repository = repository.fullName();
  reviewOptions.builds.branch = mergeQueue ? "merge-queue/" + event.changeRequest.baseBranch
                                           : "pull/" + std::to_string(event.changeRequest.number);
  auto service = services_.reviews();
  auto result = service->review(request, reviewOptions, progress);
  if (cancel) {
    if (stopping_) return;  // the server stops: resumed at the next start
    saveState(forgeId, event, "cancelled", "", nullptr);
    count("cancelled");
    return;
  }
  if (!result) {
    const std::string error = result.error().describe();
    services_.logger.warn("review failed", {{"repository", repository.fullName()}, {"head", head}, {"error", error}});
    if (!announced) {
      publish(ReviewReports::configurationFailed(error));
    } else {
      for (const auto& job : jobs) publish(ReviewReports::failed(job, error));
    }
    saveState(forgeId, event, "failed", error, nullptr);
    count("failed");
    return;
  }
  if (!announced) {
    for (const auto& job : result->jobs) jobs.push_back(job.job);
    publish(ReviewReports::configured(jobs));
  }
  const std::string base = options_.publicUrl ? options_.publicUrl() : std::string();
  for (const auto& report : ReviewReports::concluded(*result, base)) publish(report);
  const auto limit = instance->forge->capabilities().maxSummaryBytes;
  const auto renderStarted = services_.clock.monotonic();
  int level = 0;
  auto summary =
      ReviewReports::changeSummary(*result, base + "/v1/commits/" + head + "/change-summary.md", limit, &level);
  const double renderSeconds = std::chrono::duration<double>(services_.clock.monotonic() - renderStarted).count();
  publish(summary, options_.summaryDebounce);
  // Commit statuses carry one line: there the summary is also the pull request's comment.
  if (!mergeQueue && !instance->forge->capabilities().checkRuns && instance->forge->comments() != nullptr) {
    if (auto queued =
            services_.outbox.summaryComment(forgeId, event.changeRequest, summary.summary, options_.summaryDebounce);
        !queued) {
      services_.logger.warn("cannot queue the summary comment", {{"error", queued.error().describe()}});
    }
  }
  observeSummary(*result, renderSeconds, level,
                 std::chrono::duration<double>(services_.clock.monotonic() - started).count());
  // The base is merged code: its maintainers are the ones the table trusts.
  if (auto saved = services_.storage.replaceMetaMaintainers(ChangedPackages::baseMaintainers(*result), nowSeconds());
      !saved) {
    services_.logger.warn("cannot record package maintainers", {{"error", saved.error().describe()}});
  }
  saveState(forgeId, event, "done", "", &*result);
  count(result->clean() && result->buildsClean() ? "clean" : "failing");
  if (!mergeQueue) evaluateMerge(forgeId, repository, event.changeRequest.number);
}

}  // namespace ekaci::forge
