#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "kernel/publish/CacheRegistry.h"
#include "kernel/publish/HookRunner.h"
#include "kernel/publish/PublishTarget.h"
#include "kernel/scheduler/BuildListener.h"
#include "kernel/storage/Storage.h"

namespace ekaci::publish {

// What happens after a successful build: the job's post-build hooks (and, for fixed-output
// derivations, its fod hooks as well) and pushes of the outputs to the job's caches. The
// scheduler tells it of each build (BuildListener); the review says beforehand which jobsets
// belong to which job (expect), so a derivation several jobs wanted is pushed to each job's
// caches and runs each job's hooks.
//
// Work runs asynchronously on `concurrency` worker threads, never on the scheduler's, and a
// failure never fails the build. A push is a row per store path (cache_pushes): paths a
// cache already took are not pushed again, a failed push is retried with exponential
// backoff up to `maxAttempts`. A cache the job may not use (permissions) or that the server
// does not define is skipped with a warning, a metric and a line for the report. At most
// `maxQueued` tasks wait; beyond that new ones are dropped and counted.
//
// Threading: every public method may be called from any thread.
class PostBuildPublisher : public scheduler::BuildListener {
 public:
  struct Services {
    storage::Storage& storage;
    sdk::Clock& clock;
    sdk::Logger& logger;
    sdk::Metrics& metrics;
  };
  struct Settings {
    std::size_t concurrency = 2;
    std::size_t maxAttempts = 3;
    std::chrono::milliseconds backoff{5000};  // before the 2nd attempt; doubled each time
    std::chrono::seconds pushTimeout{300};    // security.max_hook_timeout_seconds
    std::size_t maxQueued = 10000;
  };

  PostBuildPublisher(Services services, const CacheRegistry& caches, HookRunner& hooks, Settings settings);
  ~PostBuildPublisher() override;
  PostBuildPublisher(const PostBuildPublisher&) = delete;
  PostBuildPublisher& operator=(const PostBuildPublisher&) = delete;

  // The job behind a jobset. Returns the lines for the report: caches the job names that
  // are skipped (unknown, or not allowed for this repository and branch).
  std::vector<std::string> expect(std::int64_t jobsetId, PublishTarget target);
  // The jobset concluded: later builds are not its.
  void forget(std::int64_t jobsetId);
  // At start-up, before the scheduler resumes: the jobs of the jobsets that were open when
  // the server stopped (saved by expect(), deleted by forget()). Returns how many.
  std::size_t restore();

  void built(const scheduler::BuiltDerivation& derivation) noexcept override;

  // Waits until nothing is queued or running (true), or `timeout` passes (false).
  bool waitIdle(std::chrono::milliseconds timeout);
  // Stops the workers after the task each is running; what is still queued is dropped
  // (its rows stay pending).
  void stop();

 private:
  struct Task {
    enum class Kind { Hook, Push } kind = Kind::Push;
    scheduler::BuiltDerivation built;
    std::shared_ptr<const PublishTarget> target;
    config::HookConfig hook;  // Hook
    std::string cacheId;      // Push
    std::size_t attempt = 1;
    std::chrono::steady_clock::time_point notBefore;
  };

  void enqueue(Task task);
  void worker();
  void runHook(const Task& task);
  // Empty: done (or given up); otherwise the task to try again.
  std::optional<Task> runPush(Task task);
  std::int64_t nowSeconds() const;

  Services services_;
  const CacheRegistry& caches_;
  HookRunner& hooks_;
  Settings settings_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::map<std::int64_t, std::shared_ptr<const PublishTarget>> targets_;
  std::deque<Task> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace ekaci::publish
