#include "kernel/scheduler/Scheduler.h"

#include <algorithm>

#include "kernel/graph/ClosureStore.h"
#include "kernel/graph/ClosureWalker.h"
#include "kernel/nix/NixBuildExecutor.h"
#include "kernel/nix/NixEnvironment.h"
#include "kernel/nix/NixSandbox.h"
#include "kernel/scheduler/GraphEviction.h"

namespace ekaci::scheduler {
namespace {

const std::vector<double> kDurationBuckets = {1, 5, 15, 60, 300, 900, 3600, 14400};

std::string outcomeName(const nix::BuildOutcome& outcome) {
  switch (outcome.kind) {
    case nix::BuildOutcome::Kind::Success:
      return "success";
    case nix::BuildOutcome::Kind::Failure:
      return "failure";
    case nix::BuildOutcome::Kind::Interrupted:
      return std::string("interrupted_") + toString(outcome.interrupt);
  }
  return "unknown";
}

}  // namespace

Scheduler::Scheduler(Services services, SchedulerConfig config, const std::string& hostSystem,
                     const nix::BuildExecutor* executor)
    : services_(services),
      config_(std::move(config)),
      logs_(config_.logsDir, config_.nix.maxLogBytes),
      ownExecutor_(executor == nullptr ? std::make_unique<nix::NixBuildExecutor>(services_.processes, config_.nix)
                                       : nullptr),
      executor_(executor == nullptr ? *ownExecutor_ : *executor),
      store_(services_.processes, config_.nix),
      recorder_(services_.storage, services_.clock, services_.logger),
      pool_(config_, hostSystem),
      dispatcher_(config_.batchSize),
      graphMonitor_(services_.metrics, services_.logger, config_.graphCapacity) {}

Scheduler::~Scheduler() {
  shutdown(std::chrono::milliseconds(0));
}

sdk::Result<void> Scheduler::start() {
  // Builders run pull-request code: only in Nix's sandbox as a build user, unless the
  // operator explicitly accepts otherwise.
  auto sandbox = nix::NixSandbox::inspect(services_.processes, config_.nix.nixProgram, config_.nix.options,
                                          nix::NixEnvironment(config_.nix.passEnvironment).variables());
  if (!sandbox) return sandbox.error();
  if (!sandbox->problem.empty()) {
    if (!config_.allowUnsandboxedBuilds) {
      return sdk::Error(sdk::ErrorCode::BuildUnsandboxed,
                        sandbox->problem +
                            ": builds would run pull-request code with eka-ci's privileges. Run scripts/setup "
                            "(build users, sandbox = true) or set builders.allow_unsandboxed_builds = true");
    }
    services_.logger.warn(
        "BUILDS ARE NOT SANDBOXED: pull-request code runs with eka-ci's privileges "
        "(builders.allow_unsandboxed_builds)",
        {{"reason", sandbox->problem}});
  }
  // Remote builders are checked before anything is routed to them.
  for (std::size_t i = 2; i < pool_.size(); ++i) {
    const bool up = executor_.ping(pool_.spec(i));
    std::lock_guard lock(mutex_);
    pool_.setHealthy(i, up);
    services_.metrics
        .gauge("builder_healthy", "1 when the builder answers nix store ping", {{"builder", pool_.spec(i).name}})
        .set(up ? 1 : 0);
    if (!up) services_.logger.warn("remote builder does not answer", {{"builder", pool_.spec(i).name}});
  }
  if (config_.resumeOpenJobsets) {
    if (auto resumed = resume(); !resumed) return resumed;
  }
  std::lock_guard lock(mutex_);
  started_ = true;
  dispatcherThread_ = std::thread([this] { dispatcherLoop(); });
  if (pool_.size() > 2) health_ = std::thread([this] { healthLoop(); });
  wake_.notify_all();
  return sdk::success();
}

sdk::Result<void> Scheduler::resume() {
  auto open = services_.storage.openBuildJobsets();
  if (!open) return open.error();
  for (auto& record : *open) {
    services_.logger.info("resuming jobset after restart", {{"jobset", std::to_string(record.jobsetId)}});
    if (auto ingested = ingest(record, true); !ingested) {
      services_.logger.error("cannot resume jobset",
                             {{"jobset", std::to_string(record.jobsetId)}, {"error", ingested.error().describe()}});
    }
  }
  // Derivations the database still shows in flight that no open jobset wants any more:
  // the server died while they ran. Each ends in the state its outputs prove: a build that
  // finished after the server died (or just before) is a success, never an interruption.
  auto stale = services_.storage.drvsInStates({"building", "buildable", "queued", "failed_retry"}, 100000);
  if (!stale) return sdk::success();
  std::vector<storage::DrvBuildStatus> orphaned;
  std::vector<std::string> paths;
  {
    std::lock_guard lock(mutex_);
    for (const auto& row : *stale) {
      if (graph_.find(row.drvPath)) continue;
      orphaned.push_back(row);
      paths.push_back(row.drvPath);
    }
  }
  const auto unbuilt =
      paths.empty() ? sdk::Result<std::set<std::string>>(std::set<std::string>{}) : store_.derivationsToBuild(paths);
  for (const auto& row : orphaned) {
    const bool valid = unbuilt && unbuilt->count(row.drvPath) == 0;
    std::string state = "interrupted(process_death)";
    std::string detail = "the server stopped while this was " + row.state + "; no jobset wants it now";
    if (valid && (row.state == "building" || row.state == "queued")) {
      state = row.state == "building" ? "success" : "cached";
      detail = "its outputs are valid after a restart (the server stopped while this was " + row.state + ")";
    }
    recorder_.settleOrphan(row, state, detail);
  }
  return sdk::success();
}

sdk::Result<void> Scheduler::submit(const JobsetBuildRequest& request) {
  storage::BuildJobsetRecord record;
  record.jobsetId = request.jobsetId;
  record.rebuildCount = request.rebuildCount;
  record.supersedeKey = request.supersedeKey;
  record.submittedAt = recorder_.now();
  record.roots = request.roots;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return sdk::Error(sdk::ErrorCode::Cancelled, "the scheduler is shutting down");
  }
  auto ingested = ingest(record, false, request.forgetFailures);
  if (!ingested) return ingested;
  if (!request.supersedeKey.empty()) {
    std::vector<std::int64_t> superseded;
    {
      std::lock_guard lock(mutex_);
      for (const auto& [id, open] : open_) {
        if (id != request.jobsetId && open.record.supersedeKey == request.supersedeKey) superseded.push_back(id);
      }
    }
    for (std::int64_t id : superseded) {
      (void)cancel(id, "superseded by jobset " + std::to_string(request.jobsetId));
    }
  }
  return sdk::success();
}

sdk::Result<void> Scheduler::ingest(storage::BuildJobsetRecord record, bool recovered, bool forgetFailures) {
  // 1. Ask Nix what has to be built (outside the lock: it may take a while).
  std::vector<std::string> rootPaths;
  for (const auto& root : record.roots) rootPaths.push_back(root.drvPath);
  auto toBuild = store_.derivationsToBuild(rootPaths);
  if (!toBuild) return toBuild.error();

  // 2. Read the roots and what has to be built below them, and store it (the same closure
  // ingest as the review's).
  graph::ClosureWalker::Options walkOptions;
  walkOptions.threads = 2;
  walkOptions.capacity = SIZE_MAX;
  walkOptions.within = &*toBuild;
  const graph::ClosureWalk walk = graph::ClosureWalker::walk(rootPaths, walkOptions);
  if (!walk.unreadable.empty()) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument,
                      "cannot read " + walk.unreadable.front().first + ": " + walk.unreadable.front().second);
  }
  auto ids = graph::ClosureStore::save(walk, services_.storage);
  if (!ids) return ids.error();
  for (auto& root : record.roots) root.drvId = (*ids)[*walk.graph.find(root.drvPath)];
  // 3. Persist the jobset before acting on it.
  if (!recovered) {
    if (auto submitted = recorder_.submitJobset(record); !submitted) return submitted.error();
  }
  const auto readStarted = std::chrono::steady_clock::now();
  auto persisted = services_.storage.drvStatuses(*ids);
  if (!persisted) return persisted.error();
  const std::chrono::duration<double> readTook = std::chrono::steady_clock::now() - readStarted;
  std::map<std::int64_t, storage::DrvBuildStatus> persistedById;
  for (auto& row : *persisted) persistedById[row.drvId] = row;
  if (forgetFailures) {
    for (auto& [id, row] : persistedById) {
      if (row.failureExpiresAt == 0 || toBuild->count(row.drvPath) == 0) continue;
      if (auto cleared = services_.storage.setFailureExpiry(id, 0); !cleared) return cleared.error();
      row.failureExpiresAt = 0;
      services_.logger.info("cached failure forgotten on request",
                            {{"drv", row.drvPath}, {"jobset", std::to_string(record.jobsetId)}});
    }
  }

  // 4. Merge into the build graph.
  std::unique_lock lock(mutex_);
  const std::int64_t now = recorder_.now();
  std::vector<BuildNodeId> touched;
  std::vector<std::optional<BuildNodeId>> fresh(walk.graph.size());
  std::size_t reloaded = 0;  // added with the state the database kept
  for (graph::NodeId v = 0; v < walk.graph.size(); ++v) {
    const std::string path = walk.graph.path(v);
    const graph::DrvFacts& facts = walk.facts[v];
    const bool building = toBuild->count(path) > 0;
    if (auto existing = graph_.find(path)) {
      const BuildNodeId n = *existing;
      touched.push_back(n);
      auto& node = graph_[n];
      const BuildState s = node.status.state;
      const bool failureExpired = s == BuildState::Failure && persistedById[node.drvId].failureExpiresAt <= now;
      const bool retryable = s == BuildState::Interrupted || s == BuildState::Blocked ||
                             s == BuildState::TransitiveFailure || failureExpired;
      if (building && retryable) {
        node.failuresThisRound = 0;
        transition(n, BuildStatus{BuildState::Queued}, "queued again for jobset " + std::to_string(record.jobsetId));
      } else if (!building && (retryable || s == BuildState::Failure)) {
        // Its outputs appeared meanwhile (built or fetched elsewhere).
        if (transition(n, BuildStatus{BuildState::Queued}, "outputs now valid")) {
          transition(n, BuildStatus{BuildState::Cached}, "outputs already valid or substitutable");
        }
      }
      continue;
    }
    BuildGraph::Node node;
    node.drvId = (*ids)[v];
    node.path = path;
    node.needs =
        BuildRequirements{facts.system, facts.requiredSystemFeatures, facts.fixedOutput, facts.preferLocalBuild};
    for (const auto& [name, output] : facts.outputs) node.outputs.push_back(output);
    const auto& stored = persistedById[node.drvId];
    node.attempt = stored.attempt;
    node.detail = stored.detail;
    auto storedStatus = statusFromName(stored.state);
    // The in-memory state starts where the database left it; every step from there is a
    // transition the state machine allows (a restart can come at any point of a build).
    const bool recorded = storedStatus && !stored.state.empty() && stored.state != "new";
    node.status = recorded ? *storedStatus : BuildStatus{BuildState::Queued};
    if (recorded) ++reloaded;
    const BuildNodeId n = graph_.add(std::move(node));
    fresh[v] = n;
    touched.push_back(n);
    auto& added = graph_[n];
    if (!building) {
      if (isSuccessful(added.status.state)) continue;
      if (recorded && added.status.state == BuildState::Building) {
        // Built while the server was down, or just before it died.
        transition(n, BuildStatus{BuildState::Success},
                   "its outputs are valid after a restart (the server stopped during the build)");
        continue;
      }
      if (added.status.state != BuildState::Queued) transition(n, BuildStatus{BuildState::Queued}, "outputs now valid");
      transition(n, BuildStatus{BuildState::Cached}, "outputs already valid or substitutable");
    } else if (added.status.state == BuildState::Failure && stored.failureExpiresAt > now) {
      // A cached failure: not built again before it expires.
    } else {
      const std::string why = stored.state == "building" ? "the server stopped during the build; building again"
                                                         : "queued for jobset " + std::to_string(record.jobsetId);
      // A new round starts at Queued whatever an earlier round left.
      if (!recorded) {
        recorder_.firstQueued(added, why);
      } else if (added.status.state != BuildState::Queued) {
        transition(n, BuildStatus{BuildState::Queued}, why);
      }
    }
  }
  // Edges from and to the new nodes (a node already here may need one that comes back).
  std::vector<std::optional<BuildNodeId>> inGraph(walk.graph.size());
  for (graph::NodeId v = 0; v < walk.graph.size(); ++v) {
    inGraph[v] = fresh[v] ? fresh[v] : graph_.find(walk.graph.path(v));
  }
  for (graph::NodeId v = 0; v < walk.graph.size(); ++v) {
    if (!inGraph[v]) continue;
    auto [begin, end] = walk.graph.references(v);
    for (const graph::NodeId* it = begin; it != end; ++it) {
      if (inGraph[*it] && (fresh[v] || fresh[*it])) graph_.link(*inGraph[v], *inGraph[*it]);
    }
  }
  graphMonitor_.reloaded(reloaded, readTook);
  graphChanged_ = true;
  OpenJobset open;
  open.record = record;
  for (const auto& root : record.roots) open.rootNodes.push_back(*graph_.find(root.drvPath));
  // The jobset needs the closure of its roots within the graph.
  open.closure = graph_.claim(open.rootNodes, record.jobsetId);
  open_[record.jobsetId] = std::move(open);
  concludedIds_.erase(record.jobsetId);
  for (BuildNodeId n : touched) {
    if (graph_[n].status.state == BuildState::Failure) propagate(n, BuildState::TransitiveFailure, "");
  }
  for (BuildNodeId n : touched) makeReadyIfBuildable(n);
  concludeFinishedJobsets({record.jobsetId});
  updateQueueGauges();
  wake_.notify_all();
  return sdk::success();
}

void Scheduler::makeReadyIfBuildable(BuildNodeId n) {
  auto& node = graph_[n];
  if (node.status.state != BuildState::Queued || node.jobsets.empty()) return;
  for (BuildNodeId d : node.deps) {
    const BuildState s = graph_[d].status.state;
    if (s == BuildState::Failure || s == BuildState::TransitiveFailure) {
      const std::string why = "dependency " + graph_[d].path + " failed";
      if (transition(n, BuildStatus{BuildState::TransitiveFailure}, why))
        propagate(n, BuildState::TransitiveFailure, why);
      return;
    }
    if (s == BuildState::Interrupted || s == BuildState::Blocked) {
      const std::string why = "dependency " + graph_[d].path + " did not finish (" + statusName(graph_[d].status) + ")";
      if (transition(n, BuildStatus{BuildState::Blocked}, why)) propagate(n, BuildState::Blocked, why);
      return;
    }
    if (!isSuccessful(s)) return;  // still waiting
  }
  if (!transition(n, BuildStatus{BuildState::Buildable}, "all inputs built")) return;
  std::int64_t rebuildCount = INT64_MAX, submittedAt = INT64_MAX;
  for (std::int64_t id : node.jobsets) {
    auto it = open_.find(id);
    if (it == open_.end()) continue;
    rebuildCount = std::min(rebuildCount, it->second.record.rebuildCount);
    submittedAt = std::min(submittedAt, it->second.record.submittedAt);
  }
  dispatcher_.enqueue(n, node.needs, rebuildCount, submittedAt);
}

void Scheduler::propagate(BuildNodeId failed, BuildState state, const std::string& detail) {
  const std::string why = detail.empty() ? "dependency " + graph_[failed].path + " failed" : detail;
  std::vector<BuildNodeId> stack(graph_[failed].dependents.begin(), graph_[failed].dependents.end());
  std::size_t count = 0;
  while (!stack.empty()) {
    const BuildNodeId n = stack.back();
    stack.pop_back();
    const BuildState s = graph_[n].status.state;
    const bool waiting = s == BuildState::Queued || s == BuildState::Buildable;
    const bool upgrade = state == BuildState::TransitiveFailure && s == BuildState::Blocked;
    if (!waiting && !upgrade) continue;
    if (!transition(n, BuildStatus{state}, why)) continue;
    ++count;
    for (BuildNodeId d : graph_[n].dependents) stack.push_back(d);
  }
  if (state == BuildState::TransitiveFailure && count > 0) {
    services_.metrics
        .counter("build_transitive_failures_total", "Derivations not built because a dependency failed", {})
        .increment(static_cast<double>(count));
  }
}

void Scheduler::concludeFinishedJobsets(const std::set<std::int64_t>& candidates) {
  // A copy: concluding a jobset edits the nodes' sets, which `candidates` may be one of.
  const std::vector<std::int64_t> ids(candidates.begin(), candidates.end());
  for (std::int64_t id : ids) {
    auto it = open_.find(id);
    if (it == open_.end()) continue;
    bool done = true, failed = false;
    for (std::size_t i = 0; i < it->second.rootNodes.size(); ++i) {
      const BuildState s = graph_[it->second.rootNodes[i]].status.state;
      if (!isTerminal(s)) {
        done = false;
        break;
      }
      if (isFailing(s) && it->second.record.roots[i].counts) failed = true;
    }
    if (done)
      finishJobset(it->second, failed ? storage::BuildJobsetState::Failed : storage::BuildJobsetState::Succeeded);
  }
}

void Scheduler::finishJobset(OpenJobset& jobset, storage::BuildJobsetState state) {
  const std::int64_t id = jobset.record.jobsetId;
  if (auto ok = recorder_.concludeJobset(id, state); !ok) {
    services_.logger.error("cannot persist a jobset conclusion",
                           {{"jobset", std::to_string(id)}, {"error", ok.error().describe()}});
    return;  // stays open; concluded again on the next event or restart
  }
  services_.logger.info("jobset concluded", {{"jobset", std::to_string(id)}, {"result", storage::toString(state)}});
  services_.metrics
      .counter("jobsets_concluded_total", "Jobsets whose builds concluded", {{"result", storage::toString(state)}})
      .increment();
  for (BuildNodeId n : jobset.closure) graph_[n].jobsets.erase(id);
  graphChanged_ = true;
  open_.erase(id);
  concludedIds_.insert(id);
  concluded_.notify_all();
}

sdk::Result<void> Scheduler::cancel(std::int64_t jobsetId, const std::string& why) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(jobsetId);
  if (it == open_.end())
    return sdk::Error(sdk::ErrorCode::NotFound, "jobset " + std::to_string(jobsetId) + " is not building");
  if (auto ok = recorder_.concludeJobset(jobsetId, storage::BuildJobsetState::Cancelled); !ok) {
    return ok.error();
  }
  services_.logger.info("jobset cancelled", {{"jobset", std::to_string(jobsetId)}, {"why", why}});
  const std::vector<BuildNodeId> closure = it->second.closure;
  open_.erase(it);
  concludedIds_.insert(jobsetId);
  graphChanged_ = true;
  for (BuildNodeId n : closure) {
    auto& node = graph_[n];
    node.jobsets.erase(jobsetId);
    if (!node.jobsets.empty()) continue;
    const BuildState s = node.status.state;
    if (s == BuildState::Queued || s == BuildState::Buildable) {
      transition(n, BuildStatus{BuildState::Interrupted, InterruptKind::Cancelled}, why);
    } else if (s == BuildState::Building && node.cancel) {
      *node.cancel = true;
    }
  }
  concluded_.notify_all();
  updateQueueGauges();
  return sdk::success();
}

void Scheduler::dispatch() {
  if (stopping_) return;
  const Dispatcher::Plan plan = dispatcher_.plan(graph_, pool_);
  for (BuildNodeId n : plan.abandoned) {
    transition(n, BuildStatus{BuildState::Interrupted, InterruptKind::Cancelled}, "no open jobset needs it");
  }
  for (const auto& [n, reason] : plan.unsatisfiable) {
    if (transition(n, BuildStatus{BuildState::Interrupted, InterruptKind::Unsatisfiable}, reason)) {
      propagate(n, BuildState::Blocked, "dependency " + graph_[n].path + " cannot be built here: " + reason);
      concludeFinishedJobsets(graph_[n].jobsets);
    }
  }
  for (const auto& launch : plan.launches) startBuild(launch.nodes, launch.builder);
  updateQueueGauges();
}

void Scheduler::startBuild(const std::vector<BuildNodeId>& batch, std::size_t builder) {
  // The dispatcher took the builder's slot for this launch.
  const nix::BuilderSpec spec = pool_.spec(builder);
  auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
  std::vector<BuildNodeId> started;
  std::vector<nix::BuildExecutor::BatchItem> items;
  for (BuildNodeId n : batch) {
    auto& node = graph_[n];
    if (!transition(n, BuildStatus{BuildState::Building}, "building on " + spec.name, true)) continue;
    node.builder = spec.name;
    node.cancel = cancelFlag;
    started.push_back(n);
    items.push_back(nix::BuildExecutor::BatchItem{node.path, node.outputs, nullptr});
    services_.logger.info("build started",
                          {{"drv", node.path}, {"builder", spec.name}, {"attempt", std::to_string(node.attempt)}});
  }
  if (started.empty()) {
    pool_.release(builder);
    return;
  }
  services_.metrics.gauge("builds_active", "Build processes running per builder", {{"builder", spec.name}})
      .set(static_cast<double>(pool_.active(builder)));
  const std::uint64_t id = ++batches_;
  Running& running = running_[id];
  running.nodes = started;
  running.thread = std::thread([this, id, started, builder, spec, cancelFlag, items]() mutable {
    runBuild(id, std::move(started), builder, spec, cancelFlag, std::move(items));
  });
}

void Scheduler::runBuild(std::uint64_t id, std::vector<BuildNodeId> nodes, std::size_t builder,
                         const nix::BuilderSpec& spec, const std::shared_ptr<std::atomic<bool>>& cancel,
                         std::vector<nix::BuildExecutor::BatchItem> items) {
  std::vector<nix::BuildOutcome> outcomes(items.size());
  std::vector<std::unique_ptr<nix::BuildLogStore::Writer>> logs;
  bool logsOk = true;
  for (auto& item : items) {
    auto log = logs_.open(item.drvPath);
    if (!log) {
      logsOk = false;
      for (auto& outcome : outcomes) {
        outcome.kind = nix::BuildOutcome::Kind::Interrupted;
        outcome.interrupt = InterruptKind::ProcessDeath;
        outcome.detail = "cannot write the build log: " + log.error().message();
      }
      break;
    }
    item.log = log->get();
    logs.push_back(std::move(log).value());
  }
  std::vector<bool> told(items.size(), false);
  if (logsOk) {
    // A success Nix reports before the batch ends is handed over at once: its dependents
    // need not wait for the rest of the batch.
    auto built = [&](std::size_t i, const nix::BuildOutcome& outcome) {
      if (i >= items.size() || told[i]) return;
      told[i] = true;
      logs[i]->finish();
      {
        std::lock_guard lock(mutex_);
        completions_.push_back(Completion{id, {nodes[i]}, builder, {outcome}, false});
      }
      wake_.notify_all();
    };
    outcomes = executor_.run(items, spec, *cancel, built);
    if (outcomes.size() != items.size()) {
      outcomes.assign(items.size(), nix::BuildOutcome{});
      for (auto& outcome : outcomes) {
        outcome.kind = nix::BuildOutcome::Kind::Interrupted;
        outcome.interrupt = InterruptKind::ProcessDeath;
        outcome.detail = "the executor returned no outcome for some of its builds";
      }
    }
  }
  Completion last{id, {}, builder, {}, true};
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (told[i]) continue;
    if (i < logs.size()) logs[i]->finish();
    last.nodes.push_back(nodes[i]);
    last.outcomes.push_back(outcomes[i]);
  }
  {
    std::lock_guard lock(mutex_);
    completions_.push_back(std::move(last));
  }
  wake_.notify_all();
}

void Scheduler::handle(const Completion& c) {
  if (c.final) {
    if (auto it = running_.find(c.batch); it != running_.end()) {
      it->second.thread.join();
      running_.erase(it);
    }
    pool_.release(c.builder);
    services_.metrics
        .gauge("builds_active", "Build processes running per builder", {{"builder", pool_.spec(c.builder).name}})
        .set(static_cast<double>(pool_.active(c.builder)));
  }
  for (std::size_t i = 0; i < c.nodes.size(); ++i) record(c.nodes[i], c.outcomes[i]);
  concluded_.notify_all();
}

void Scheduler::record(BuildNodeId n, const nix::BuildOutcome& outcome) {
  auto& node = graph_[n];
  const std::string result = outcomeName(outcome);
  services_.metrics
      .histogram("build_duration_seconds", "Wall-clock time of one build attempt", {{"result", result}},
                 kDurationBuckets)
      .observe(static_cast<double>(outcome.elapsed.count()) / 1000.0);
  services_.metrics.counter("build_outcomes_total", "Build attempts by how they ended", {{"result", result}})
      .increment();
  services_.logger.info("build finished", {{"drv", node.path}, {"result", result}, {"detail", outcome.detail}});
  node.cancel.reset();
  if (node.stoppedForShutdown) {
    node.stoppedForShutdown = false;
    if (outcome.kind != nix::BuildOutcome::Kind::Success) {
      transition(n, BuildStatus{BuildState::Queued},
                 "the server stopped during the build; building again at next start");
      return;
    }
  }
  switch (outcome.kind) {
    case nix::BuildOutcome::Kind::Success:
      if (transition(n, BuildStatus{BuildState::Success}, outcome.detail)) {
        announceBuilt(node);
        for (BuildNodeId d : node.dependents) makeReadyIfBuildable(d);
      }
      break;
    case nix::BuildOutcome::Kind::Failure:
      if (++node.failuresThisRound == 1) {
        if (transition(n, BuildStatus{BuildState::FailedRetry}, outcome.detail + "; retrying once")) {
          services_.metrics.counter("build_retries_total", "Automatic retries after a first failure", {}).increment();
          transition(n, BuildStatus{BuildState::Queued}, "automatic retry");
          makeReadyIfBuildable(n);
        }
      } else if (transition(n, BuildStatus{BuildState::Failure}, outcome.detail)) {
        recorder_.cacheFailure(node, recorder_.now() + static_cast<std::int64_t>(config_.failureCacheTtl.count()));
        propagate(n, BuildState::TransitiveFailure, "");
      }
      break;
    case nix::BuildOutcome::Kind::Interrupted:
      if (transition(n, BuildStatus{BuildState::Interrupted, outcome.interrupt}, outcome.detail)) {
        if (outcome.interrupt == InterruptKind::Cancelled && !node.jobsets.empty()) {
          // Cancelled for a superseded jobset while another one came to want it.
          transition(n, BuildStatus{BuildState::Queued}, "wanted again");
          makeReadyIfBuildable(n);
        } else {
          propagate(n, BuildState::Blocked,
                    "dependency " + node.path + " did not finish (" + statusName(node.status) + ")");
        }
      }
      break;
  }
  concludeFinishedJobsets(node.jobsets);
}

void Scheduler::announceBuilt(const BuildGraph::Node& node) {
  if (listener_ == nullptr) return;
  BuiltDerivation built;
  built.drvId = node.drvId;
  built.drvPath = node.path;
  built.outputs = node.outputs;
  built.system = node.needs.system;
  built.fixedOutput = node.needs.fixedOutput;
  built.jobsets.assign(node.jobsets.begin(), node.jobsets.end());
  if (auto hash = nix::BuildLogStore::drvHash(node.path)) {
    const auto dir = logs_.directoryFor(*hash);
    std::error_code ec;
    built.logPath = std::filesystem::exists(dir / "build.log.gz", ec) ? dir / "build.log.gz" : dir / "build.log";
  }
  listener_->built(built);
}

void Scheduler::dispatcherLoop() {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    while (!completions_.empty()) {
      std::vector<Completion> batch;
      batch.swap(completions_);
      for (const auto& c : batch) handle(c);
    }
    dispatch();
    forgetGraphWhenIdle();
    trimGraph();
    wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopped_ || !completions_.empty(); });
    if (!completions_.empty()) continue;
  }
}

void Scheduler::forgetGraphWhenIdle() {
  // Nothing open, nothing running: the graph only remembers what storage already holds.
  // Dropping it here keeps a long-running server's memory bounded by its busiest moment.
  if (!open_.empty() || !running_.empty() || !completions_.empty() || graph_.empty()) return;
  graph_.clear();
  dispatcher_.clear();
}

void Scheduler::trimGraph() {
  // Evictions are looked for when something could have made a node evictable (a jobset
  // arrived or concluded); the gauges follow every few seconds.
  const auto now = std::chrono::steady_clock::now();
  if (!graphChanged_ && now - graphObserved_ < std::chrono::seconds(5)) return;
  const std::vector<bool> candidates = GraphEviction::candidates(graph_, heldByBuilds());
  GraphEviction::Census census = GraphEviction::census(graph_, candidates);
  if (graphChanged_ && graph_.size() > config_.graphCapacity) {
    // Down to 90 % of the capacity, so that the next jobset does not evict again at once.
    const GraphEviction::Choice choice =
        GraphEviction::choose(graph_, config_.graphCapacity - config_.graphCapacity / 10, candidates);
    dispatcher_.forget(choice.nodes);
    graph_.remove(choice.nodes);
    graphMonitor_.evicted(choice);
    for (std::size_t t = 0; t < GraphEviction::kTiers; ++t) census.candidates[t] -= choice.perTier[t];
  }
  graphChanged_ = false;
  graphObserved_ = now;
  graphMonitor_.observe(graph_, census, now);
}

std::vector<bool> Scheduler::heldByBuilds() const {
  std::vector<bool> held(graph_.nodes().size(), false);
  for (const auto& [id, running] : running_) {
    for (BuildNodeId n : running.nodes) held[n] = true;
  }
  for (const auto& completion : completions_) {
    for (BuildNodeId n : completion.nodes) held[n] = true;
  }
  return held;
}

void Scheduler::healthLoop() {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    wake_.wait_for(lock, config_.healthCheckInterval, [this] { return stopped_; });
    if (stopped_) break;
    for (std::size_t i = 2; i < pool_.size(); ++i) {
      const nix::BuilderSpec spec = pool_.spec(i);
      lock.unlock();
      const bool up = executor_.ping(spec);
      lock.lock();
      if (pool_.healthy(i) != up) {
        services_.logger.warn(up ? "remote builder is back" : "remote builder stopped answering",
                              {{"builder", spec.name}});
      }
      pool_.setHealthy(i, up);
      services_.metrics.gauge("builder_healthy", "1 when the builder answers nix store ping", {{"builder", spec.name}})
          .set(up ? 1 : 0);
    }
    wake_.notify_all();
  }
}

void Scheduler::updateQueueGauges() {
  const auto lengths = dispatcher_.lengths();
  for (const auto& [queue, length] : lengths) gaugedQueues_.insert(queue);
  for (const auto& queue : gaugedQueues_) {
    const auto slash = queue.find('/');
    auto it = lengths.find(queue);
    services_.metrics
        .gauge("builds_waiting_for_builder", "Buildable derivations waiting for a builder, per system and queue kind",
               {{"system", queue.substr(0, slash)}, {"queue", queue.substr(slash + 1)}})
        .set(it == lengths.end() ? 0.0 : static_cast<double>(it->second));
  }
}

bool Scheduler::waitForJobset(std::int64_t jobsetId, std::chrono::milliseconds timeout, const std::atomic<bool>* stop) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  while (!concludedIds_.count(jobsetId)) {
    if (stop && *stop) return false;
    if (!open_.count(jobsetId) && !concludedIds_.count(jobsetId)) return false;
    if (concluded_.wait_until(lock,
                              std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(200))) ==
            std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline) {
      return concludedIds_.count(jobsetId) > 0;
    }
  }
  return true;
}

void Scheduler::shutdown(std::chrono::milliseconds grace) {
  std::unique_lock lock(mutex_);
  if (stopped_) return;
  stopping_ = true;
  if (!started_) {
    stopped_ = true;
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + grace;
  concluded_.wait_until(lock, deadline, [this] { return running_.empty(); });
  // Completions are handled by the dispatcher; wait for the rest after stopping them.
  while (!running_.empty() || !completions_.empty()) {
    for (auto& [id, running] : running_) {
      for (BuildNodeId n : running.nodes) {
        auto& node = graph_[n];
        if (!node.cancel) continue;
        node.stoppedForShutdown = true;
        *node.cancel = true;
      }
    }
    wake_.notify_all();
    concluded_.wait_for(lock, std::chrono::milliseconds(100));
  }
  stopped_ = true;
  lock.unlock();
  wake_.notify_all();
  if (dispatcherThread_.joinable()) dispatcherThread_.join();
  if (health_.joinable()) health_.join();
}

DerivationView Scheduler::viewOf(const BuildGraph::Node& node) const {
  return DerivationView{node.path,    node.status,       node.attempt,           node.detail,
                        node.builder, node.needs.system, node.needs.fixedOutput, node.jobsets.size()};
}

std::optional<JobsetView> Scheduler::jobset(std::int64_t jobsetId) const {
  std::lock_guard lock(mutex_);
  auto it = open_.find(jobsetId);
  if (it == open_.end()) return std::nullopt;
  JobsetView view;
  view.jobsetId = jobsetId;
  view.state = storage::BuildJobsetState::Building;
  view.derivations = it->second.closure.size();
  for (BuildNodeId n : it->second.closure) {
    if (isTerminal(graph_[n].status.state)) ++view.finished;
  }
  for (std::size_t i = 0; i < it->second.rootNodes.size(); ++i) {
    view.roots.emplace_back(it->second.record.roots[i], graph_[it->second.rootNodes[i]].status);
  }
  return view;
}

std::optional<DerivationView> Scheduler::derivation(const std::string& drvPath) const {
  std::lock_guard lock(mutex_);
  auto n = graph_.find(drvPath);
  if (!n) return std::nullopt;
  return viewOf(graph_[*n]);
}

std::size_t Scheduler::graphSize() const {
  std::lock_guard lock(mutex_);
  return graph_.size();
}

std::vector<DerivationView> Scheduler::active(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<DerivationView> out;
  for (const auto& [id, running] : running_) {
    for (BuildNodeId n : running.nodes) {
      if (out.size() >= limit) return out;
      if (graph_[n].status.state == BuildState::Building) out.push_back(viewOf(graph_[n]));
    }
  }
  for (BuildNodeId n : dispatcher_.waiting(limit)) {
    if (out.size() >= limit) return out;
    if (graph_[n].status.state == BuildState::Buildable) out.push_back(viewOf(graph_[n]));
  }
  for (const auto& node : graph_.nodes()) {
    if (out.size() >= limit) break;
    if (node.status.state == BuildState::Queued && !node.jobsets.empty()) out.push_back(viewOf(node));
  }
  return out;
}

}  // namespace ekaci::scheduler
