#include "kernel/forge/ReportOutbox.h"

#include <algorithm>

#include "kernel/forge/ForgeJson.h"
#include "kernel/services/Sha256.h"

namespace ekaci::forge {
namespace {

constexpr const char* kReport = "report";
constexpr const char* kCancel = "cancel";
constexpr const char* kComment = "comment";
constexpr const char* kReact = "react";
constexpr const char* kSummary = "summary";
constexpr const char* kSummaryPurpose = "change-summary";
// Kernel-side states of a report the forge does not hold yet.
constexpr const char* kUnsent = "unsent";
constexpr const char* kCreating = "creating";

std::string dedupeKey(const std::string& forgeId, const sdk::RepositoryRef& repository, const std::string& sha,
                      const std::string& name) {
  return std::string(kReport) + '\x1f' + forgeId + '\x1f' + repository.fullName() + '\x1f' + sha + '\x1f' + name;
}

std::string hashOf(const sdk::StatusReport& report) {
  return services::Sha256::hex(ForgeJson::stateName(report.state) + '\x1f' + report.title + '\x1f' + report.summary +
                               '\x1f' + report.detailsUrl);
}

bool permanent(const sdk::Error& error) {
  switch (error.code()) {
    case sdk::ErrorCode::InvalidArgument:
    case sdk::ErrorCode::NotFound:
    case sdk::ErrorCode::ForgeRepositoryNotAllowed:
    case sdk::ErrorCode::Unsupported:
      return true;
    default:
      return false;
  }
}

}  // namespace

ReportOutbox::ReportOutbox(Services services, Options options)
    : services_(services),
      options_(options),
      random_(std::random_device{}()),
      thread_([this] { return deliverDue(); }, options.poll) {}

ReportOutbox::~ReportOutbox() {
  stop();
}

bool ReportOutbox::concluded(const std::string& stateName) {
  return stateName == "success" || stateName == "failure" || stateName == "error" || stateName == "cancelled" ||
         stateName == "skipped" || stateName == "neutral";
}

std::int64_t ReportOutbox::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
}

sdk::Result<void> ReportOutbox::publish(const std::string& forgeId, const sdk::RepositoryRef& repository,
                                        const std::string& commitSha, const sdk::StatusReport& report,
                                        std::chrono::seconds delay) {
  const std::string repo = repository.fullName();
  auto existing = services_.storage.findForgeReport(forgeId, repo, commitSha, report.name);
  if (!existing) return std::move(existing).error();
  if (!*existing) {
    storage::ForgeReportRecord record{forgeId, repo, commitSha, report.name, "", kUnsent, "", nowSeconds()};
    if (auto saved = services_.storage.saveForgeReport(record); !saved) return saved;
  }
  storage::OutboxMessage message;
  message.forgeId = forgeId;
  message.kind = kReport;
  message.payloadJson = ForgeJson::encode(ForgeJson::Outgoing{repository, commitSha, report});
  message.dedupeKey = dedupeKey(forgeId, repository, commitSha, report.name);
  message.nextAttemptAt = nowSeconds() + delay.count();
  auto queued = services_.storage.enqueueOutbox(message);
  if (!queued) return std::move(queued).error();
  thread_.nudge();
  return sdk::success();
}

sdk::Result<void> ReportOutbox::cancelOpen(const std::string& forgeId, const sdk::RepositoryRef& repository,
                                           const std::string& commitSha, const std::string& why) {
  auto reports = services_.storage.forgeReportsOf(forgeId, repository.fullName(), commitSha);
  if (!reports) return std::move(reports).error();
  for (const auto& record : *reports) {
    if (concluded(record.state)) continue;
    sdk::StatusReport report;
    report.name = record.name;
    report.state = sdk::CommitState::Cancelled;
    report.title = "Cancelled";
    report.summary = why;
    storage::OutboxMessage message;
    message.forgeId = forgeId;
    message.kind = kCancel;
    message.payloadJson = ForgeJson::encode(ForgeJson::Outgoing{repository, commitSha, report});
    message.dedupeKey = dedupeKey(forgeId, repository, commitSha, record.name);
    message.nextAttemptAt = nowSeconds();
    auto queued = services_.storage.enqueueOutbox(message);
    if (!queued) return std::move(queued).error();
  }
  thread_.nudge();
  return sdk::success();
}

sdk::Result<void> ReportOutbox::enqueueConversation(const std::string& forgeId, const char* kind,
                                                    const ForgeJson::Conversation& conversation,
                                                    const std::string& dedupeKey, std::chrono::seconds delay) {
  storage::OutboxMessage message;
  message.forgeId = forgeId;
  message.kind = kind;
  message.payloadJson = ForgeJson::encode(conversation);
  if (!dedupeKey.empty()) message.dedupeKey = dedupeKey;
  message.nextAttemptAt = nowSeconds() + delay.count();
  auto queued = services_.storage.enqueueOutbox(message);
  if (!queued) return std::move(queued).error();
  thread_.nudge();
  return sdk::success();
}

sdk::Result<void> ReportOutbox::comment(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                        const std::string& markdown) {
  return enqueueConversation(forgeId, kComment, ForgeJson::Conversation{changeRequest, 0, markdown, std::nullopt});
}

sdk::Result<void> ReportOutbox::summaryComment(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                               const std::string& markdown, std::chrono::seconds delay) {
  const std::string key = std::string(kSummary) + '\x1f' + forgeId + '\x1f' + changeRequest.repository.fullName() +
                          '\x1f' + std::to_string(changeRequest.number);
  return enqueueConversation(forgeId, kSummary, ForgeJson::Conversation{changeRequest, 0, markdown, std::nullopt}, key,
                             delay);
}

sdk::Result<void> ReportOutbox::keepSummary(sdk::ForgeComments& comments, const std::string& forgeId,
                                            const ForgeJson::Conversation& conversation) {
  const auto& cr = conversation.changeRequest;
  const std::string repo = cr.repository.fullName();
  auto existing = services_.storage.pullRequestComment(forgeId, repo, cr.number, kSummaryPurpose);
  if (!existing) return std::move(existing).error();
  if (*existing != 0) {
    auto edited = comments.edit(cr, *existing, conversation.markdown);
    if (edited || edited.error().code() != sdk::ErrorCode::NotFound) return edited;
    // Deleted on the forge: a new one takes its place.
  }
  auto created = comments.create(cr, conversation.markdown);
  if (!created) return std::move(created).error();
  if (auto saved =
          services_.storage.savePullRequestComment(forgeId, repo, cr.number, kSummaryPurpose, *created, nowSeconds());
      !saved) {
    services_.logger.error("summary comment created but not recorded", {{"error", saved.error().describe()}});
  }
  return sdk::success();
}

sdk::Result<void> ReportOutbox::react(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                      std::uint64_t commentId, sdk::Reaction reaction) {
  return enqueueConversation(forgeId, kReact, ForgeJson::Conversation{changeRequest, commentId, "", reaction});
}

ReportOutbox::Outcome ReportOutbox::converse(const storage::OutboxMessage& message, std::string& error,
                                             std::chrono::seconds& retryAfter) {
  auto conversation = ForgeJson::decodeConversation(message.payloadJson);
  if (!conversation) {
    error = conversation.error().describe();
    return Outcome::Abandoned;
  }
  ForgeInstances::Instance* instance = services_.forges.find(message.forgeId);
  sdk::ForgeComments* comments = instance != nullptr ? instance->forge->comments() : nullptr;
  if (comments == nullptr) {
    error = "forge '" + message.forgeId + "' is not configured or cannot comment";
    return Outcome::Abandoned;
  }
  const bool reaction = message.kind == kReact;
  const bool summary = message.kind == kSummary;
  sdk::Result<void> sent = sdk::success();
  if (summary) {
    sent = keepSummary(*comments, message.forgeId, *conversation);
  } else if (reaction) {
    sent = comments->react(conversation->changeRequest, conversation->commentId, *conversation->reaction);
  } else if (auto created = comments->create(conversation->changeRequest, conversation->markdown); !created) {
    sent = std::move(created).error();
  }
  services_.metrics
      .counter("forge_api_calls_total", "Calls to forge APIs from the outbox, by forge, operation and outcome.",
               {{"forge", message.forgeId},
                {"operation", reaction  ? "react"
                              : summary ? "summary"
                                        : "comment"},
                {"outcome", sent ? "ok" : "error"}})
      .increment();
  if (sent) return Outcome::Delivered;
  error = sent.error().describe();
  if (sent.error().retryAfter()) retryAfter = *sent.error().retryAfter();
  return permanent(sent.error()) ? Outcome::Abandoned : Outcome::Retry;
}

std::chrono::seconds ReportOutbox::backoff(std::int64_t attempts) {
  const std::int64_t exponent = std::min<std::int64_t>(attempts, 20);
  const std::int64_t full = std::min<std::int64_t>(options_.maxDelay.count(), options_.baseDelay.count() << exponent);
  // Half fixed, half random: retries of many messages spread out instead of arriving together.
  std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(full / 2, 0));
  return std::chrono::seconds(std::max<std::int64_t>(1, full - full / 2 + jitter(random_)));
}

ReportOutbox::Outcome ReportOutbox::deliver(const storage::OutboxMessage& message, std::string& error,
                                            std::chrono::seconds& retryAfter) {
  if (message.kind == kComment || message.kind == kReact || message.kind == kSummary) {
    return converse(message, error, retryAfter);
  }
  auto outgoing = ForgeJson::decodeOutgoing(message.payloadJson);
  if (!outgoing) {
    error = outgoing.error().describe();
    return Outcome::Abandoned;
  }
  ForgeInstances::Instance* instance = services_.forges.find(message.forgeId);
  sdk::ForgeReports* reports = instance != nullptr ? instance->forge->reports() : nullptr;
  if (reports == nullptr) {
    error = "forge '" + message.forgeId + "' is not configured or cannot publish reports";
    return Outcome::Abandoned;
  }
  const auto& repository = outgoing->repository;
  const auto& sha = outgoing->commitSha;
  const auto& report = outgoing->report;
  const std::string repo = repository.fullName();
  auto found = services_.storage.findForgeReport(message.forgeId, repo, sha, report.name);
  if (!found) {
    error = found.error().describe();
    return Outcome::Retry;
  }
  storage::ForgeReportRecord record =
      found->value_or(storage::ForgeReportRecord{message.forgeId, repo, sha, report.name, "", kUnsent, "", 0});
  const std::string hash = hashOf(report);
  auto count = [&](const char* operation, const char* outcome) {
    services_.metrics
        .counter("forge_api_calls_total", "Calls to forge APIs from the outbox, by forge, operation and outcome.",
                 {{"forge", message.forgeId}, {"operation", operation}, {"outcome", outcome}})
        .increment();
  };
  auto failed = [&](const sdk::Error& e, const char* operation) {
    count(operation, "error");
    error = e.describe();
    if (e.retryAfter()) retryAfter = *e.retryAfter();
    return permanent(e) ? Outcome::Abandoned : Outcome::Retry;
  };

  if (record.remoteId.empty() && record.state == kCreating) {
    // A creation was sent before and its answer never stored: look for it on the forge.
    auto listed = reports->list(repository, sha);
    if (!listed) return failed(listed.error(), "list");
    count("list", "ok");
    for (const auto& published : *listed) {
      if (published.name == report.name) record.remoteId = published.id;
    }
  }
  if (message.kind == kCancel) {
    if (record.remoteId.empty()) {
      // Never reached the forge: nothing to cancel there.
      record.state = ForgeJson::stateName(sdk::CommitState::Cancelled);
    } else {
      // Published as a cancelled state, so the forge shows why it ended.
      if (auto cancelled = reports->publish(repository, sha, report, record.remoteId); !cancelled) {
        return failed(cancelled.error(), "cancel");
      }
      count("cancel", "ok");
      record.state = ForgeJson::stateName(sdk::CommitState::Cancelled);
      record.payloadHash = hash;
    }
    record.updatedAt = nowSeconds();
    (void)services_.storage.saveForgeReport(record);
    return Outcome::Delivered;
  }
  if (!record.remoteId.empty() && record.payloadHash == hash) return Outcome::Delivered;  // already there
  if (record.remoteId.empty()) {
    record.state = kCreating;
    record.updatedAt = nowSeconds();
    if (auto saved = services_.storage.saveForgeReport(record); !saved) {
      error = saved.error().describe();
      return Outcome::Retry;
    }
  }
  const char* operation = record.remoteId.empty() ? "create" : "update";
  auto id = reports->publish(repository, sha, report, record.remoteId);
  if (!id) return failed(id.error(), operation);
  count(operation, "ok");
  record.remoteId = *id;
  record.state = ForgeJson::stateName(report.state);
  record.payloadHash = hash;
  record.updatedAt = nowSeconds();
  if (auto saved = services_.storage.saveForgeReport(record); !saved) {
    services_.logger.error("report delivered but not recorded",
                           {{"report", report.name}, {"error", saved.error().describe()}});
  }
  return Outcome::Delivered;
}

std::size_t ReportOutbox::deliverDue() {
  auto due = services_.storage.dueOutbox(nowSeconds(), 64);
  if (!due) {
    services_.logger.warn("cannot read the outbox", {{"error", due.error().describe()}});
    return 0;
  }
  for (const auto& message : *due) {
    std::string error;
    std::chrono::seconds retryAfter{-1};
    const Outcome outcome = deliver(message, error, retryAfter);
    const auto now = nowSeconds();
    if (outcome == Outcome::Delivered) {
      (void)services_.storage.markOutboxDelivered(message.id, now);
      continue;
    }
    if (outcome == Outcome::Retry && message.attempts + 1 < options_.maxAttempts) {
      const auto delay =
          retryAfter.count() >= 0 ? std::max(retryAfter, std::chrono::seconds(1)) : backoff(message.attempts);
      services_.metrics.counter("forge_outbox_retries_total", "Outbox sends that failed and will be retried.", {})
          .increment();
      services_.logger.warn("forge call failed; will retry", {{"forge", message.forgeId},
                                                              {"attempt", std::to_string(message.attempts + 1)},
                                                              {"retry_in_seconds", std::to_string(delay.count())},
                                                              {"error", error}});
      (void)services_.storage.markOutboxFailed(message.id, error, now + delay.count());
      continue;
    }
    services_.metrics.counter("forge_outbox_abandoned_total", "Outbox messages given up on.", {}).increment();
    services_.logger.error(
        "forge call abandoned",
        {{"forge", message.forgeId}, {"attempts", std::to_string(message.attempts + 1)}, {"error", error}});
    (void)services_.storage.markOutboxAbandoned(message.id, error, now);
  }
  refreshGauges();
  return due->size();
}

void ReportOutbox::refreshGauges() {
  auto stats = services_.storage.outboxStats();
  if (!stats) return;
  services_.metrics.gauge("forge_outbox_depth", "Outbox messages not yet delivered.", {})
      .set(static_cast<double>(stats->pending));
  const double age = stats->oldestCreatedAt ? static_cast<double>(nowSeconds() - *stats->oldestCreatedAt) : 0.0;
  services_.metrics.gauge("forge_outbox_oldest_age_seconds", "Age of the oldest undelivered outbox message.", {})
      .set(std::max(0.0, age));
}

}  // namespace ekaci::forge
