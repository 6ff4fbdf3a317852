#pragma once

#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/ForgeTypes.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/Result.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/forge/ForgeJson.h"
#include "kernel/services/PollingThread.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// Every report, comment and reaction the server publishes on a forge goes through here: written to the database
// first (forge_outbox), then sent by one sender thread with retries — exponential backoff
// with jitter on transport errors and 5xx, the forge's own Retry-After / rate-limit reset
// when it gives one — until delivered or, after a permanent error or too many attempts,
// abandoned and counted. A newer state of the same report replaces one not yet sent
// (coalescing); a state equal to the one last delivered is not sent again; a restart sends
// whatever was not delivered, and finds a report whose creation may have reached the forge
// before the crash by listing the commit's reports instead of creating it twice.
//
// Threading: publish() and cancelOpen() from any thread; sending on the own thread.
class ReportOutbox {
 public:
  struct Services {
    storage::Storage& storage;
    ForgeInstances& forges;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
  };
  struct Options {
    std::int64_t maxAttempts = 12;
    std::chrono::seconds baseDelay{2};
    std::chrono::seconds maxDelay{600};
    std::chrono::milliseconds poll{500};
  };

  ReportOutbox(Services services, Options options);
  ~ReportOutbox();
  ReportOutbox(const ReportOutbox&) = delete;
  ReportOutbox& operator=(const ReportOutbox&) = delete;

  // Queues the report's new state, to be sent `delay` from now (the change summary's
  // debounce); a pending state of the same report is replaced.
  sdk::Result<void> publish(const std::string& forgeId, const sdk::RepositoryRef& repository,
                            const std::string& commitSha, const sdk::StatusReport& report,
                            std::chrono::seconds delay = std::chrono::seconds(0));
  // Ends every report of the commit that has not concluded: cancelled (check runs) or the
  // forge's closest state, with `why` as its summary.
  sdk::Result<void> cancelOpen(const std::string& forgeId, const sdk::RepositoryRef& repository,
                               const std::string& commitSha, const std::string& why);

  // Queues a new comment on the pull request (answers to comment commands).
  sdk::Result<void> comment(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                            const std::string& markdown);
  // Queues the pull request's change-summary comment, for forges whose reports cannot carry
  // the summary (commit statuses): created once, then edited in place at every new state;
  // a pending state is replaced by a newer one (sent `delay` from now).
  sdk::Result<void> summaryComment(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                                   const std::string& markdown, std::chrono::seconds delay = std::chrono::seconds(0));
  // Queues a reaction on one of the pull request's comments.
  sdk::Result<void> react(const std::string& forgeId, const sdk::ChangeRequestRef& changeRequest,
                          std::uint64_t commentId, sdk::Reaction reaction);

  void start() { thread_.start(); }
  void stop() { thread_.stop(); }
  // Sends every message due now, in order; returns how many were handled. The sender
  // thread's body, public for tests that drive it without the thread.
  std::size_t deliverDue();

  static bool concluded(const std::string& stateName);

 private:
  enum class Outcome { Delivered, Retry, Abandoned };
  Outcome deliver(const storage::OutboxMessage& message, std::string& error, std::chrono::seconds& retryAfter);
  Outcome converse(const storage::OutboxMessage& message, std::string& error, std::chrono::seconds& retryAfter);
  sdk::Result<void> enqueueConversation(const std::string& forgeId, const char* kind,
                                        const ForgeJson::Conversation& conversation, const std::string& dedupeKey = "",
                                        std::chrono::seconds delay = std::chrono::seconds(0));
  // The summary comment: edited when the pull request has one, else created and recorded.
  sdk::Result<void> keepSummary(sdk::ForgeComments& comments, const std::string& forgeId,
                                const ForgeJson::Conversation& conversation);
  std::int64_t nowSeconds() const;
  std::chrono::seconds backoff(std::int64_t attempts);
  void refreshGauges();

  Services services_;
  Options options_;
  std::mt19937 random_;  // jitter; sender thread only
  services::PollingThread thread_;
};

}  // namespace ekaci::forge
