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
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"
#include "kernel/nix/BuildExecutor.h"
#include "kernel/nix/BuildLogStore.h"
#include "kernel/nix/BuildOutcome.h"
#include "kernel/nix/StoreQuery.h"
#include "kernel/scheduler/BuildGraph.h"
#include "kernel/scheduler/BuildGraphMonitor.h"
#include "kernel/scheduler/BuildListener.h"
#include "kernel/scheduler/BuildRecorder.h"
#include "kernel/scheduler/BuildState.h"
#include "kernel/scheduler/BuilderPool.h"
#include "kernel/scheduler/Dispatcher.h"
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

// The build orchestrator, composed of parts: the BuildGraph (what open jobsets need, with
// states), the BuildRecorder (every transition, persisted first), the Dispatcher (queues and
// the choice of builder) and a BuildExecutor (Nix). Jobsets come in (submit, or recovered from the database at
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

  // `executor`: where builds run (borrowed; null: Nix itself, with the configuration's
  // programs and options).
  Scheduler(Services services, SchedulerConfig config, const std::string& hostSystem,
            const nix::BuildExecutor* executor = nullptr);
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
  // A derivation the build graph holds (finished ones no open jobset needs leave it past
  // graph_lru_capacity, and all leave when no jobset is open; storage keeps every state).
  std::optional<DerivationView> derivation(const std::string& drvPath) const;
  std::size_t graphSize() const;
  // Derivations queued, buildable or building, most urgent first (at most `limit`).
  std::vector<DerivationView> active(std::size_t limit) const;
  const nix::BuildLogStore& logs() const noexcept { return logs_; }
  const BuilderPool& builders() const noexcept { return pool_; }

 private:
  struct OpenJobset {
    storage::BuildJobsetRecord record;
    std::vector<BuildNodeId> rootNodes;  // parallel to record.roots
    std::vector<BuildNodeId> closure;    // every node it needs
  };
  // What a build thread hands the dispatcher: outcomes of some of a launch's nodes; the last
  // one of a launch (`final`) gives its builder slot back.
  struct Completion {
    std::uint64_t batch;
    std::vector<BuildNodeId> nodes;
    std::size_t builder;
    std::vector<nix::BuildOutcome> outcomes;  // parallel to nodes
    bool final = true;
  };
  struct Running {
    std::vector<BuildNodeId> nodes;
    std::thread thread;
  };

  sdk::Result<void> resume();
  sdk::Result<void> ingest(storage::BuildJobsetRecord record, bool recovered, bool forgetFailures = false);
  bool transition(BuildNodeId node, BuildStatus to, const std::string& detail, bool newAttempt = false) {
    return recorder_.transition(graph_[node], to, detail, newAttempt);
  }
  void makeReadyIfBuildable(BuildNodeId node);
  void propagate(BuildNodeId failed, BuildState state, const std::string& detail);
  void concludeFinishedJobsets(const std::set<std::int64_t>& candidates);
  void finishJobset(OpenJobset& jobset, storage::BuildJobsetState state);
  void dispatch();
  void handle(const Completion& completion);
  void record(BuildNodeId node, const nix::BuildOutcome& outcome);
  void startBuild(const std::vector<BuildNodeId>& batch, std::size_t builder);
  void runBuild(std::uint64_t id, std::vector<BuildNodeId> nodes, std::size_t builder, const nix::BuilderSpec& spec,
                const std::shared_ptr<std::atomic<bool>>& cancel, std::vector<nix::BuildExecutor::BatchItem> items);
  void dispatcherLoop();
  void forgetGraphWhenIdle();
  // Past graph_lru_capacity, finished derivations no open jobset needs leave the graph; the
  // graph's gauges follow it.
  void trimGraph();
  std::vector<bool> heldByBuilds() const;
  void healthLoop();
  void updateQueueGauges();
  DerivationView viewOf(const BuildGraph::Node& node) const;
  void announceBuilt(const BuildGraph::Node& node);

  Services services_;
  SchedulerConfig config_;
  BuildListener* listener_ = nullptr;
  nix::BuildLogStore logs_;
  std::unique_ptr<nix::BuildExecutor> ownExecutor_;
  const nix::BuildExecutor& executor_;
  nix::StoreQuery store_;
  BuildRecorder recorder_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;       // dispatcher: completions or new work
  std::condition_variable concluded_;  // waiters on jobsets
  BuilderPool pool_;
  BuildGraph graph_;
  Dispatcher dispatcher_;
  BuildGraphMonitor graphMonitor_;
  bool graphChanged_ = false;  // since the last trimGraph()
  std::chrono::steady_clock::time_point graphObserved_{};
  std::map<std::int64_t, OpenJobset> open_;
  std::set<std::int64_t> concludedIds_;
  std::vector<Completion> completions_;
  std::map<std::uint64_t, Running> running_;  // batch number -> its nodes and thread
  std::uint64_t batches_ = 0;
  std::set<std::string> gaugedQueues_;
  bool started_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread dispatcherThread_;
  std::thread health_;
};

}  // namespace ekaci::scheduler
