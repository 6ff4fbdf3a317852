#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"
#include "kernel/nix/BuildLogStore.h"
#include "kernel/nix/BuildOutcome.h"
#include "kernel/nix/NixBuildExecutor.h"
#include "kernel/nix/StoreQuery.h"
#include "kernel/scheduler/BuildListener.h"
#include "kernel/scheduler/BuildState.h"
#include "kernel/scheduler/BuilderPool.h"
#include "kernel/scheduler/SchedulerConfig.h"
#include "kernel/storage/Storage.h"

namespace ekaci::scheduler {

// A jobset to build: the derivations it wants (roots), each counting towards the
// conclusion or not (base revisions built only for comparison do not), its priority (fewest
// rebuilds first, then the oldest) and the key under which a newer submission supersedes it.
struct JobsetBuildRequest {
  std::int64_t jobsetId = 0;
  std::int64_t rebuildCount = 0;
  std::string supersedeKey;               // empty: never superseded
  std::vector<storage::BuildRoot> roots;  // drvPath required; drvId filled in by the scheduler
  bool forgetFailures = false;            // build again what has a cached failure, instead of answering from the cache
};

struct DerivationView {
  std::string drvPath;
  BuildStatus status;
  std::int64_t attempt = 0;
  std::string detail;
  std::string builder;
  std::string system;
  bool fixedOutput = false;
  std::size_t waitingJobsets = 0;
};

struct JobsetView {
  std::int64_t jobsetId = 0;
  storage::BuildJobsetState state = storage::BuildJobsetState::Building;
  std::size_t derivations = 0;  // to build for this jobset, roots included
  std::size_t finished = 0;
  std::vector<std::pair<storage::BuildRoot, BuildStatus>> roots;
};

// The build orchestrator. Jobsets come in (submit, or recovered from the database at
// start); Nix says which derivations of their closures still need building; the rest is
// Cached. An in-memory graph of those derivations decides buildability (all inputs Success
// or Cached); buildable derivations wait in per-system queues (fixed-output ones in their
// own) ordered by jobset priority, and run on the builder the pool picks. Every state change
// is written to storage as an event before it is acted on, so a restart after a crash
// resumes exactly: what was Building is Queued again, nothing finished is built or counted
// twice. A jobset concludes when all its roots are terminal.
//
// Threading: public methods may be called from any thread. One dispatcher thread routes and
// records; each build runs on its own thread; one thread checks remote builders' health.
class Scheduler {
 public:
  struct Services {
    storage::Storage& storage;
    sdk::ProcessRunner& processes;
    sdk::Clock& clock;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
  };

  Scheduler(Services services, SchedulerConfig config, const std::string& hostSystem);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Who hears of every successful build (post-build hooks, cache pushes). Set before start();
  // borrowed, must outlive the scheduler's threads.
  void setListener(BuildListener* listener) noexcept { listener_ = listener; }
  // Recovers the jobsets left open in storage (unless configured not to) and starts the
  // threads.
  sdk::Result<void> start();
  // Persists the jobset (roots and priority), cancels what it supersedes, and queues its
  // derivations.
  sdk::Result<void> submit(const JobsetBuildRequest& request);
  // Cancels a jobset: its derivations that no other open jobset needs stop (Interrupted,
  // Cancelled).
  sdk::Result<void> cancel(std::int64_t jobsetId, const std::string& why);
  // Waits until the jobset concludes; false on timeout or when `stop` becomes true.
  bool waitForJobset(std::int64_t jobsetId, std::chrono::milliseconds timeout, const std::atomic<bool>* stop = nullptr);
  // Stops taking work, lets running builds finish for up to `grace`, then stops them; they
  // are persisted as Queued so that the next start builds them.
  void shutdown(std::chrono::milliseconds grace);

  std::optional<JobsetView> jobset(std::int64_t jobsetId) const;
  // A derivation of an open jobset (the graph is dropped when no jobset is open; storage
  // keeps every state).
  std::optional<DerivationView> derivation(const std::string& drvPath) const;
  std::size_t graphSize() const;
  // Derivations queued, buildable or building, most urgent first (at most `limit`).
  std::vector<DerivationView> active(std::size_t limit) const;
  const nix::BuildLogStore& logs() const noexcept { return logs_; }
  const BuilderPool& builders() const noexcept { return pool_; }

 private:
  struct Node {
    std::int64_t drvId = 0;
    std::string path;
    BuildRequirements needs;
    std::vector<std::string> outputs;
    std::vector<std::size_t> deps;  // inputs that are built here too
    std::vector<std::size_t> dependents;
    BuildStatus status;
    std::int64_t attempt = 0;   // last attempt number persisted
    int failuresThisRound = 0;  // for the single automatic retry
    std::string detail;
    std::string builder;
    std::set<std::int64_t> jobsets;  // open jobsets that need it
    std::shared_ptr<std::atomic<bool>> cancel;
    bool stoppedForShutdown = false;
  };
  struct OpenJobset {
    storage::BuildJobsetRecord record;
    std::vector<std::size_t> rootNodes;  // parallel to record.roots
    std::vector<std::size_t> closure;    // every node it needs
  };
  struct ReadyKey {
    std::int64_t rebuildCount;
    std::int64_t submittedAt;
    std::uint64_t sequence;
    std::size_t node;
    bool operator<(const ReadyKey& o) const {
      return std::tie(rebuildCount, submittedAt, sequence) < std::tie(o.rebuildCount, o.submittedAt, o.sequence);
    }
  };
  struct Completion {
    std::uint64_t batch;
    std::vector<std::size_t> nodes;
    std::size_t builder;
    std::vector<nix::BuildOutcome> outcomes;  // parallel to nodes
  };

  sdk::Result<void> resume();
  sdk::Result<void> ingest(storage::BuildJobsetRecord record, bool recovered, bool forgetFailures = false);
  bool transition(std::size_t node, BuildStatus to, const std::string& detail, bool newAttempt = false);
  void makeReadyIfBuildable(std::size_t node);
  void propagate(std::size_t failed, BuildState state, const std::string& detail);
  void concludeFinishedJobsets(const std::set<std::int64_t>& candidates);
  void finishJobset(OpenJobset& jobset, storage::BuildJobsetState state);
  void dispatch();
  void handle(const Completion& completion);
  void record(std::size_t node, const nix::BuildOutcome& outcome);
  void startBuild(const std::vector<std::size_t>& batch, std::size_t builder);
  void dispatcherLoop();
  void forgetGraphWhenIdle();
  void healthLoop();
  std::string queueName(const Node& node) const;
  void updateQueueGauges();
  std::int64_t nowSeconds() const;
  DerivationView viewOf(const Node& node) const;

  void announceBuilt(const Node& node);

  Services services_;
  SchedulerConfig config_;
  BuildListener* listener_ = nullptr;
  nix::BuildLogStore logs_;
  nix::NixBuildExecutor executor_;
  nix::StoreQuery store_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;       // dispatcher: completions or new work
  std::condition_variable concluded_;  // waiters on jobsets
  BuilderPool pool_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::size_t> index_;
  std::map<std::int64_t, OpenJobset> open_;
  std::set<std::int64_t> concludedIds_;
  std::map<std::string, std::set<ReadyKey>> ready_;  // queue name -> buildable nodes
  std::uint64_t sequence_ = 0;
  std::vector<Completion> completions_;
  struct Running {
    std::vector<std::size_t> nodes;
    std::thread thread;
  };
  std::map<std::uint64_t, Running> running_;  // batch number -> its nodes and thread
  std::uint64_t batches_ = 0;
  std::vector<std::thread> finishedThreads_;
  std::set<std::string> gaugedQueues_;
  bool started_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread dispatcher_;
  std::thread health_;
};

}  // namespace ekaci::scheduler
