#include "kernel/scheduler/Scheduler.h"

#include <algorithm>

#include "kernel/nix/DerivationParser.h"
#include "kernel/nix/NixEnvironment.h"
#include "kernel/nix/NixSandbox.h"

namespace ekaci::scheduler {
namespace {

constexpr std::size_t kScanPerQueue = 64;  // buildable entries looked at per queue and pass

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

struct ParsedDrv {
  std::string path;
  BuildRequirements needs;
  std::vector<std::string> inputs;
  std::vector<std::pair<std::string, std::string>> outputs;
};

}  // namespace

Scheduler::Scheduler(Services services, SchedulerConfig config, const std::string& hostSystem)
    : services_(services),
      config_(std::move(config)),
      logs_(config_.logsDir, config_.nix.maxLogBytes),
      executor_(services_.processes, config_.nix),
      store_(services_.processes, config_.nix),
      pool_(config_, hostSystem) {
  // The database itself refuses what the state machine forbids, whichever process writes it.
  services_.storage.setTransitionGuard([](const std::string& from, const std::string& to) {
    if (from == "new") return true;
    const auto before = statusFromName(from), after = statusFromName(to);
    return before && after && transitionAllowed(before->state, after->state);
  });
}

Scheduler::~Scheduler() {
  shutdown(std::chrono::milliseconds(0));
}

std::int64_t Scheduler::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
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
  dispatcher_ = std::thread([this] { dispatcherLoop(); });
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
      if (index_.count(row.drvPath)) continue;
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
    (void)services_.storage.recordBuildEvent(
        storage::BuildEventRecord{0, row.drvId, row.attempt, state, detail, nowSeconds()});
  }
  return sdk::success();
}

sdk::Result<void> Scheduler::submit(const JobsetBuildRequest& request) {
  storage::BuildJobsetRecord record;
  record.jobsetId = request.jobsetId;
  record.rebuildCount = request.rebuildCount;
  record.supersedeKey = request.supersedeKey;
  record.submittedAt = nowSeconds();
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

  // 2. Read every derivation involved.
  std::set<std::string> involved(toBuild->begin(), toBuild->end());
  involved.insert(rootPaths.begin(), rootPaths.end());
  std::vector<ParsedDrv> parsed;
  std::vector<storage::DrvRecord> rows;
  for (const auto& path : involved) {
    auto drv = nix::DerivationParser::parseFile(path);
    if (!drv) return sdk::Error(drv.error().code(), "cannot read " + path + ": " + drv.error().message());
    ParsedDrv p{
        path,
        BuildRequirements{drv->platform, drv->requiredSystemFeatures(), drv->isFixedOutput(), drv->preferLocalBuild()},
        {},
        {}};
    for (const auto& [input, outputs] : drv->inputDrvs) p.inputs.push_back(input);
    for (const auto& output : drv->outputs) p.outputs.emplace_back(output.name, output.path);
    storage::DrvRecord row;
    row.drvPath = path;
    row.system = p.needs.system;
    row.isFixedOutput = p.needs.fixedOutput;
    row.requiredFeatures = p.needs.features;
    row.preferLocalBuild = p.needs.preferLocal;
    row.outputs = p.outputs;
    parsed.push_back(std::move(p));
    rows.push_back(std::move(row));
  }
  auto ids = services_.storage.upsertDrvs(rows);
  if (!ids) return ids.error();
  std::map<std::string, std::int64_t> idOf;
  for (std::size_t i = 0; i < parsed.size(); ++i) idOf[parsed[i].path] = (*ids)[i];
  std::vector<std::pair<std::int64_t, std::int64_t>> edges;
  for (const auto& p : parsed) {
    for (const auto& input : p.inputs) {
      if (auto it = idOf.find(input); it != idOf.end()) edges.emplace_back(idOf[p.path], it->second);
    }
  }
  if (auto inserted = services_.storage.insertDrvReferences(edges); !inserted) return inserted.error();
  for (auto& root : record.roots) root.drvId = idOf[root.drvPath];
  // 3. Persist the jobset before acting on it.
  if (!recovered) {
    if (auto submitted = services_.storage.submitBuildJobset(record); !submitted) return submitted.error();
  }
  auto persisted = services_.storage.drvStatuses(*ids);
  if (!persisted) return persisted.error();
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

  // 4. Merge into the in-memory graph.
  std::unique_lock lock(mutex_);
  const std::int64_t now = nowSeconds();
  std::vector<std::size_t> fresh, touched;
  for (const auto& p : parsed) {
    auto existing = index_.find(p.path);
    const bool building = toBuild->count(p.path) > 0;
    if (existing != index_.end()) {
      const std::size_t n = existing->second;
      touched.push_back(n);
      Node& node = nodes_[n];
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
    const std::size_t n = nodes_.size();
    Node node;
    node.drvId = idOf[p.path];
    node.path = p.path;
    node.needs = p.needs;
    for (const auto& [name, path] : p.outputs) node.outputs.push_back(path);
    const auto& stored = persistedById[node.drvId];
    node.attempt = stored.attempt;
    node.detail = stored.detail;
    auto storedStatus = statusFromName(stored.state);
    nodes_.push_back(std::move(node));
    index_[p.path] = n;
    fresh.push_back(n);
    touched.push_back(n);
    Node& added = nodes_[n];
    // The in-memory state starts where the database left it; every step from there is a
    // transition the state machine allows (a restart can come at any point of a build).
    const bool recorded = storedStatus && !stored.state.empty() && stored.state != "new";
    added.status = recorded ? *storedStatus : BuildStatus{BuildState::Queued};
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
        storage::BuildEventRecord event{0, added.drvId, added.attempt, "queued", why, now};
        if (auto ok = services_.storage.recordBuildEvent(event); !ok) {
          services_.logger.error("cannot persist a build event",
                                 {{"drv", added.path}, {"error", ok.error().describe()}});
        }
        added.detail = why;
      } else if (added.status.state != BuildState::Queued) {
        transition(n, BuildStatus{BuildState::Queued}, why);
      }
    }
  }
  // Edges of the new nodes (inputs that are part of this graph).
  for (const auto& p : parsed) {
    const std::size_t n = index_[p.path];
    if (std::find(fresh.begin(), fresh.end(), n) == fresh.end()) continue;
    for (const auto& input : p.inputs) {
      auto it = index_.find(input);
      if (it == index_.end()) continue;
      nodes_[n].deps.push_back(it->second);
      nodes_[it->second].dependents.push_back(n);
    }
  }
  OpenJobset open;
  open.record = record;
  for (const auto& root : record.roots) open.rootNodes.push_back(index_[root.drvPath]);
  // The jobset needs the closure of its roots within the graph.
  std::vector<std::size_t> stack = open.rootNodes;
  std::set<std::size_t> seen;
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    if (!seen.insert(n).second) continue;
    nodes_[n].jobsets.insert(record.jobsetId);
    for (std::size_t d : nodes_[n].deps) stack.push_back(d);
  }
  open.closure.assign(seen.begin(), seen.end());
  open_[record.jobsetId] = std::move(open);
  concludedIds_.erase(record.jobsetId);
  for (std::size_t n : touched) {
    if (nodes_[n].status.state == BuildState::Failure) propagate(n, BuildState::TransitiveFailure, "");
  }
  for (std::size_t n : touched) makeReadyIfBuildable(n);
  concludeFinishedJobsets({record.jobsetId});
  updateQueueGauges();
  wake_.notify_all();
  return sdk::success();
}

bool Scheduler::transition(std::size_t n, BuildStatus to, const std::string& detail, bool newAttempt) {
  Node& node = nodes_[n];
  if (!transitionAllowed(node.status.state, to.state)) {
    services_.logger.error("refused build state transition",
                           {{"drv", node.path}, {"from", statusName(node.status)}, {"to", statusName(to)}});
    return false;
  }
  const std::int64_t attempt = newAttempt ? node.attempt + 1 : node.attempt;
  storage::BuildEventRecord event{0, node.drvId, attempt, statusName(to), detail, nowSeconds()};
  if (auto ok = services_.storage.recordBuildEvent(event); !ok) {
    services_.logger.error("cannot persist a build event; not acting on it",
                           {{"drv", node.path}, {"state", statusName(to)}, {"error", ok.error().describe()}});
    return false;
  }
  node.status = to;
  node.attempt = attempt;
  node.detail = detail;
  return true;
}

void Scheduler::makeReadyIfBuildable(std::size_t n) {
  Node& node = nodes_[n];
  if (node.status.state != BuildState::Queued || node.jobsets.empty()) return;
  for (std::size_t d : node.deps) {
    const BuildState s = nodes_[d].status.state;
    if (s == BuildState::Failure || s == BuildState::TransitiveFailure) {
      const std::string why = "dependency " + nodes_[d].path + " failed";
      if (transition(n, BuildStatus{BuildState::TransitiveFailure}, why))
        propagate(n, BuildState::TransitiveFailure, why);
      return;
    }
    if (s == BuildState::Interrupted || s == BuildState::Blocked) {
      const std::string why = "dependency " + nodes_[d].path + " did not finish (" + statusName(nodes_[d].status) + ")";
      if (transition(n, BuildStatus{BuildState::Blocked}, why)) propagate(n, BuildState::Blocked, why);
      return;
    }
    if (!isSuccessful(s)) return;  // still waiting
  }
  if (!transition(n, BuildStatus{BuildState::Buildable}, "all inputs built")) return;
  ReadyKey key{INT64_MAX, INT64_MAX, ++sequence_, n};
  for (std::int64_t id : node.jobsets) {
    auto it = open_.find(id);
    if (it == open_.end()) continue;
    key.rebuildCount = std::min(key.rebuildCount, it->second.record.rebuildCount);
    key.submittedAt = std::min(key.submittedAt, it->second.record.submittedAt);
  }
  ready_[queueName(node)].insert(key);
}

void Scheduler::propagate(std::size_t failed, BuildState state, const std::string& detail) {
  const std::string why = detail.empty() ? "dependency " + nodes_[failed].path + " failed" : detail;
  std::vector<std::size_t> stack(nodes_[failed].dependents.begin(), nodes_[failed].dependents.end());
  std::size_t count = 0;
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    const BuildState s = nodes_[n].status.state;
    const bool waiting = s == BuildState::Queued || s == BuildState::Buildable;
    const bool upgrade = state == BuildState::TransitiveFailure && s == BuildState::Blocked;
    if (!waiting && !upgrade) continue;
    if (!transition(n, BuildStatus{state}, why)) continue;
    ++count;
    for (std::size_t d : nodes_[n].dependents) stack.push_back(d);
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
      const BuildState s = nodes_[it->second.rootNodes[i]].status.state;
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
  if (auto ok = services_.storage.concludeBuildJobset(id, state, nowSeconds()); !ok) {
    services_.logger.error("cannot persist a jobset conclusion",
                           {{"jobset", std::to_string(id)}, {"error", ok.error().describe()}});
    return;  // stays open; concluded again on the next event or restart
  }
  services_.logger.info("jobset concluded", {{"jobset", std::to_string(id)}, {"result", storage::toString(state)}});
  services_.metrics
      .counter("jobsets_concluded_total", "Jobsets whose builds concluded", {{"result", storage::toString(state)}})
      .increment();
  for (std::size_t n : jobset.closure) nodes_[n].jobsets.erase(id);
  open_.erase(id);
  concludedIds_.insert(id);
  concluded_.notify_all();
}

sdk::Result<void> Scheduler::cancel(std::int64_t jobsetId, const std::string& why) {
  std::lock_guard lock(mutex_);
  auto it = open_.find(jobsetId);
  if (it == open_.end())
    return sdk::Error(sdk::ErrorCode::NotFound, "jobset " + std::to_string(jobsetId) + " is not building");
  if (auto ok = services_.storage.concludeBuildJobset(jobsetId, storage::BuildJobsetState::Cancelled, nowSeconds());
      !ok) {
    return ok.error();
  }
  services_.logger.info("jobset cancelled", {{"jobset", std::to_string(jobsetId)}, {"why", why}});
  const std::vector<std::size_t> closure = it->second.closure;
  open_.erase(it);
  concludedIds_.insert(jobsetId);
  for (std::size_t n : closure) {
    Node& node = nodes_[n];
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

std::string Scheduler::queueName(const Node& node) const {
  return node.needs.system + (node.needs.fixedOutput ? "/fixed-output" : "/build");
}

void Scheduler::dispatch() {
  if (stopping_) return;
  for (auto& [queue, entries] : ready_) {
    std::size_t scanned = 0;
    for (auto it = entries.begin(); it != entries.end() && scanned < kScanPerQueue;) {
      const std::size_t n = it->node;
      Node& node = nodes_[n];
      if (node.status.state != BuildState::Buildable) {
        it = entries.erase(it);
        continue;
      }
      if (node.jobsets.empty()) {
        it = entries.erase(it);
        transition(n, BuildStatus{BuildState::Interrupted, InterruptKind::Cancelled}, "no open jobset needs it");
        continue;
      }
      ++scanned;
      const auto route = pool_.route(node.needs);
      if (route.verdict == BuilderPool::Verdict::Busy) {
        ++it;
        continue;
      }
      it = entries.erase(it);
      if (route.verdict == BuilderPool::Verdict::Unsatisfiable) {
        if (transition(n, BuildStatus{BuildState::Interrupted, InterruptKind::Unsatisfiable}, route.reason)) {
          propagate(n, BuildState::Blocked, "dependency " + node.path + " cannot be built here: " + route.reason);
          concludeFinishedJobsets(node.jobsets);
        }
        continue;
      }
      // A local slot takes more buildable derivations of this queue that it can build.
      std::vector<std::size_t> batch = {n};
      const nix::BuilderSpec& spec = pool_.spec(route.builder);
      if (spec.kind != nix::BuilderKind::Remote) {
        for (auto more = it; more != entries.end() && batch.size() < std::max<std::size_t>(1, config_.batchSize);) {
          const Node& other = nodes_[more->node];
          if (other.status.state == BuildState::Buildable && !other.jobsets.empty() &&
              spec.canBuild(other.needs.system, other.needs.features) &&
              other.needs.fixedOutput == node.needs.fixedOutput &&
              (!other.needs.preferLocal || spec.kind == nix::BuilderKind::Local)) {
            batch.push_back(more->node);
            more = entries.erase(more);
          } else {
            ++more;
          }
        }
        it = entries.begin();  // erasures above may have moved past `it`; rescan from the front
        scanned = 0;
      }
      startBuild(batch, route.builder);
    }
  }
  updateQueueGauges();
}

void Scheduler::startBuild(const std::vector<std::size_t>& batch, std::size_t builder) {
  const nix::BuilderSpec spec = pool_.spec(builder);
  auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
  std::vector<std::size_t> started;
  std::vector<nix::NixBuildExecutor::BatchItem> items;
  for (std::size_t n : batch) {
    Node& node = nodes_[n];
    if (!transition(n, BuildStatus{BuildState::Building}, "building on " + spec.name, true)) continue;
    node.builder = spec.name;
    node.cancel = cancelFlag;
    started.push_back(n);
    items.push_back(nix::NixBuildExecutor::BatchItem{node.path, node.outputs, nullptr});
    services_.logger.info("build started",
                          {{"drv", node.path}, {"builder", spec.name}, {"attempt", std::to_string(node.attempt)}});
  }
  if (started.empty()) return;
  pool_.acquire(builder);
  services_.metrics.gauge("builds_active", "Build processes running per builder", {{"builder", spec.name}})
      .set(static_cast<double>(pool_.active(builder)));
  const std::uint64_t id = ++batches_;
  Running& running = running_[id];
  running.nodes = started;
  running.thread = std::thread([this, id, started, builder, spec, cancelFlag, items]() mutable {
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
    if (logsOk && items.size() == 1) {
      outcomes[0] = executor_.build(items[0].drvPath, spec, *items[0].log, *cancelFlag);
    } else if (logsOk) {
      outcomes = executor_.buildBatch(items, spec, *cancelFlag);
    }
    for (auto& log : logs) log->finish();
    {
      std::lock_guard lock(mutex_);
      completions_.push_back(Completion{id, started, builder, std::move(outcomes)});
    }
    wake_.notify_all();
  });
}

void Scheduler::handle(const Completion& c) {
  if (auto it = running_.find(c.batch); it != running_.end()) {
    it->second.thread.join();
    running_.erase(it);
  }
  pool_.release(c.builder);
  services_.metrics
      .gauge("builds_active", "Build processes running per builder", {{"builder", pool_.spec(c.builder).name}})
      .set(static_cast<double>(pool_.active(c.builder)));
  for (std::size_t i = 0; i < c.nodes.size(); ++i) record(c.nodes[i], c.outcomes[i]);
  concluded_.notify_all();
}

void Scheduler::record(std::size_t n, const nix::BuildOutcome& outcome) {
  Node& node = nodes_[n];
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
        for (std::size_t d : node.dependents) makeReadyIfBuildable(d);
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
        const auto expires = nowSeconds() + static_cast<std::int64_t>(config_.failureCacheTtl.count());
        if (auto ok = services_.storage.setFailureExpiry(node.drvId, expires); !ok) {
          services_.logger.warn("cannot cache a failure", {{"drv", node.path}, {"error", ok.error().describe()}});
        }
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

void Scheduler::announceBuilt(const Node& node) {
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
    wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopped_ || !completions_.empty(); });
    if (!completions_.empty()) continue;
  }
}

void Scheduler::forgetGraphWhenIdle() {
  // Nothing open, nothing running: the graph only remembers what storage already holds.
  // Dropping it here keeps a long-running server's memory bounded by its busiest moment.
  if (!open_.empty() || !running_.empty() || !completions_.empty() || nodes_.empty()) return;
  nodes_.clear();
  nodes_.shrink_to_fit();
  index_.clear();
  ready_.clear();
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
  for (const auto& [queue, entries] : ready_) gaugedQueues_.insert(queue);
  for (const auto& queue : gaugedQueues_) {
    const auto slash = queue.find('/');
    auto it = ready_.find(queue);
    services_.metrics
        .gauge("builds_waiting_for_builder", "Buildable derivations waiting for a builder, per system and queue kind",
               {{"system", queue.substr(0, slash)}, {"queue", queue.substr(slash + 1)}})
        .set(it == ready_.end() ? 0.0 : static_cast<double>(it->second.size()));
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
      for (std::size_t n : running.nodes) {
        if (!nodes_[n].cancel) continue;
        nodes_[n].stoppedForShutdown = true;
        *nodes_[n].cancel = true;
      }
    }
    wake_.notify_all();
    concluded_.wait_for(lock, std::chrono::milliseconds(100));
  }
  stopped_ = true;
  lock.unlock();
  wake_.notify_all();
  if (dispatcher_.joinable()) dispatcher_.join();
  if (health_.joinable()) health_.join();
}

DerivationView Scheduler::viewOf(const Node& node) const {
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
  for (std::size_t n : it->second.closure) {
    if (isTerminal(nodes_[n].status.state)) ++view.finished;
  }
  for (std::size_t i = 0; i < it->second.rootNodes.size(); ++i) {
    view.roots.emplace_back(it->second.record.roots[i], nodes_[it->second.rootNodes[i]].status);
  }
  return view;
}

std::optional<DerivationView> Scheduler::derivation(const std::string& drvPath) const {
  std::lock_guard lock(mutex_);
  auto it = index_.find(drvPath);
  if (it == index_.end()) return std::nullopt;
  return viewOf(nodes_[it->second]);
}

std::size_t Scheduler::graphSize() const {
  std::lock_guard lock(mutex_);
  return nodes_.size();
}

std::vector<DerivationView> Scheduler::active(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  std::vector<DerivationView> out;
  for (const auto& [id, running] : running_) {
    for (std::size_t n : running.nodes) {
      if (out.size() >= limit) return out;
      out.push_back(viewOf(nodes_[n]));
    }
  }
  for (const auto& [queue, entries] : ready_) {
    for (const auto& key : entries) {
      if (out.size() >= limit) return out;
      if (nodes_[key.node].status.state == BuildState::Buildable) out.push_back(viewOf(nodes_[key.node]));
    }
  }
  for (const auto& node : nodes_) {
    if (out.size() >= limit) break;
    if (node.status.state == BuildState::Queued && !node.jobsets.empty()) out.push_back(viewOf(node));
  }
  return out;
}

}  // namespace ekaci::scheduler
