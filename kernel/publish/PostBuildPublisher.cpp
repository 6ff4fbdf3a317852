#include "kernel/publish/PostBuildPublisher.h"

#include <algorithm>
#include <exception>
#include <set>

#include "kernel/publish/CachePermissions.h"
#include "kernel/publish/PublishTargetJson.h"

namespace ekaci::publish {
namespace {

const std::vector<double>& pushBuckets() {
  static const std::vector<double> kBuckets = {0.5, 2, 10, 30, 120, 600, 1800};
  return kBuckets;
}

}  // namespace

PostBuildPublisher::PostBuildPublisher(Services services, const CacheRegistry& caches, HookRunner& hooks,
                                       Settings settings)
    : services_(services), caches_(caches), hooks_(hooks), settings_(settings) {
  const std::size_t n = std::max<std::size_t>(1, settings_.concurrency);
  for (std::size_t i = 0; i < n; ++i) workers_.emplace_back([this] { worker(); });
}

PostBuildPublisher::~PostBuildPublisher() {
  stop();
}

std::int64_t PostBuildPublisher::nowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch()).count();
}

std::vector<std::string> PostBuildPublisher::expect(std::int64_t jobsetId, PublishTarget target) {
  std::vector<std::string> lines;
  for (const auto& id : target.caches) {
    const auto* entry = caches_.find(id);
    if (entry == nullptr) {
      lines.push_back("job " + target.jobName + ": cache '" + id + "' is not defined by this server; not pushed");
      continue;
    }
    if (auto why = CachePermissions::refusal(entry->permissions, target.repository, target.branch); !why.empty()) {
      lines.push_back("job " + target.jobName + ": cache '" + id + "' not pushed: " + why);
    }
  }
  if (target.empty()) return lines;
  // Kept in the database too: builds a restarted server finishes before the review is
  // resumed are still hooked and pushed (restore()).
  if (auto saved = services_.storage.savePublishTarget(jobsetId, PublishTargetJson::encode(target)); !saved) {
    services_.logger.warn("the after-build work of jobset " + std::to_string(jobsetId) +
                          " is not saved; a restart before it concludes forgets it: " + saved.error().describe());
  }
  std::lock_guard lock(mutex_);
  targets_[jobsetId] = std::make_shared<const PublishTarget>(std::move(target));
  return lines;
}

void PostBuildPublisher::forget(std::int64_t jobsetId) {
  {
    std::lock_guard lock(mutex_);
    targets_.erase(jobsetId);
  }
  (void)services_.storage.deletePublishTarget(jobsetId);
}

std::size_t PostBuildPublisher::restore() {
  auto rows = services_.storage.publishTargets();
  if (!rows) {
    services_.logger.warn("the saved after-build work of open jobsets is not readable: " + rows.error().describe());
    return 0;
  }
  std::size_t restored = 0;
  for (const auto& [jobsetId, text] : *rows) {
    auto target = PublishTargetJson::decode(text);
    if (!target) {
      services_.logger.warn("jobset " + std::to_string(jobsetId) + ": " + target.error().describe());
      continue;
    }
    std::lock_guard lock(mutex_);
    if (targets_.count(jobsetId) != 0) continue;  // registered again meanwhile: that one is current
    targets_[jobsetId] = std::make_shared<const PublishTarget>(std::move(target).value());
    ++restored;
  }
  return restored;
}

void PostBuildPublisher::built(const scheduler::BuiltDerivation& derivation) noexcept {
  try {
    std::vector<std::shared_ptr<const PublishTarget>> targets;
    {
      std::lock_guard lock(mutex_);
      for (std::int64_t id : derivation.jobsets) {
        if (auto it = targets_.find(id); it != targets_.end()) targets.push_back(it->second);
      }
    }
    std::set<std::string> pushing;  // one push per cache, whichever jobs named it
    for (const auto& target : targets) {
      auto hookTask = [&](const config::HookConfig& hook) {
        Task task;
        task.kind = Task::Kind::Hook;
        task.built = derivation;
        task.target = target;
        task.hook = hook;
        enqueue(std::move(task));
      };
      for (const auto& hook : target->postBuildHooks) hookTask(hook);
      if (derivation.fixedOutput) {
        for (const auto& hook : target->fodPostBuildHooks) hookTask(hook);
      }
      for (const auto& id : target->caches) {
        if (!pushing.insert(id).second) continue;
        Task task;
        task.kind = Task::Kind::Push;
        task.built = derivation;
        task.target = target;
        task.cacheId = id;
        enqueue(std::move(task));
      }
    }
  } catch (const std::exception& e) {
    services_.logger.error("post-build work not queued", {{"drv", derivation.drvPath}, {"error", e.what()}});
  }
}

void PostBuildPublisher::enqueue(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (queue_.size() >= settings_.maxQueued) {
      services_.metrics
          .counter("post_build_tasks_dropped_total", "Post-build hooks and pushes dropped because the queue was full",
                   {})
          .increment();
      services_.logger.warn("post-build queue full; task dropped",
                            {{"drv", task.built.drvPath}, {"limit", std::to_string(settings_.maxQueued)}});
      return;
    }
    if (task.notBefore == std::chrono::steady_clock::time_point{}) task.notBefore = std::chrono::steady_clock::now();
    queue_.push_back(std::move(task));
    services_.metrics.gauge("post_build_tasks_queued", "Post-build hooks and pushes waiting", {})
        .set(static_cast<double>(queue_.size()));
  }
  wake_.notify_one();
}

void PostBuildPublisher::worker() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (stopping_) return;
    const auto now = std::chrono::steady_clock::now();
    auto ready = std::find_if(queue_.begin(), queue_.end(), [&](const Task& t) { return t.notBefore <= now; });
    if (ready == queue_.end()) {
      if (queue_.empty()) {
        wake_.wait(lock);
      } else {
        // A copy: while this worker waits, another may take (and free) that task.
        const auto until = std::min_element(queue_.begin(), queue_.end(), [](const Task& a, const Task& b) {
                             return a.notBefore < b.notBefore;
                           })->notBefore;
        wake_.wait_until(lock, until);
      }
      continue;
    }
    Task task = std::move(*ready);
    queue_.erase(ready);
    ++running_;
    services_.metrics.gauge("post_build_tasks_queued", "Post-build hooks and pushes waiting", {})
        .set(static_cast<double>(queue_.size()));
    lock.unlock();
    std::optional<Task> again;
    if (task.kind == Task::Kind::Hook) {
      runHook(task);
    } else {
      again = runPush(std::move(task));
    }
    lock.lock();
    --running_;
    if (again && !stopping_) queue_.push_back(std::move(*again));
    if (queue_.empty() && running_ == 0) idle_.notify_all();
    if (again) wake_.notify_one();
  }
}

void PostBuildPublisher::runHook(const Task& task) {
  HookContext context;
  context.drvId = task.built.drvId;
  context.drvPath = task.built.drvPath;
  context.outputs = task.built.outputs;
  context.jobName = task.target->jobName;
  context.repository = task.target->repository;
  context.fixedOutput = task.built.fixedOutput;
  context.system = task.built.system;
  context.pname = HookContext::pnameOf(task.built.drvPath);
  context.buildLogPath = task.built.logPath;
  context.commitSha = task.target->commitSha;
  auto ran = hooks_.run(task.hook, context);
  if (!ran) {
    services_.metrics.counter("hook_runs_total", "Post-build hook runs by result", {{"result", "refused"}}).increment();
    services_.logger.warn("post-build hook not run",
                          {{"hook", task.hook.name}, {"drv", task.built.drvPath}, {"error", ran.error().describe()}});
  }
}

std::optional<PostBuildPublisher::Task> PostBuildPublisher::runPush(Task task) {
  const std::string& id = task.cacheId;
  const auto& target = *task.target;
  auto recordAll = [&](const std::vector<std::string>& paths, const std::string& state, const std::string& error) {
    for (const auto& path : paths) {
      storage::CachePushRecord row;
      row.cacheId = id;
      row.drvId = task.built.drvId;
      row.storePath = path;
      row.state = state;
      row.attempts = static_cast<std::int64_t>(task.attempt);
      row.lastError = error;
      row.finishedAt = state == "pending" ? 0 : nowSeconds();
      if (auto saved = services_.storage.saveCachePush(row); !saved) {
        services_.logger.warn("cannot record a cache push", {{"cache", id}, {"error", saved.error().describe()}});
      }
    }
  };
  auto skipped = [&](const std::string& reason, const std::string& why) {
    services_.metrics
        .counter("cache_pushes_skipped_total", "Cache pushes skipped (unknown cache, not allowed)",
                 {{"cache", id}, {"reason", reason}})
        .increment();
    services_.logger.warn("cache push skipped; the build stays successful",
                          {{"cache", id}, {"job", target.jobName}, {"repository", target.repository}, {"why", why}});
    recordAll(task.built.outputs, "skipped", why);
    return std::nullopt;
  };
  const auto* entry = caches_.find(id);
  if (entry == nullptr) return skipped("unknown", "the server defines no cache '" + id + "'");
  if (auto why = CachePermissions::refusal(entry->permissions, target.repository, target.branch); !why.empty()) {
    return skipped("not_allowed", why);
  }

  std::vector<std::string> remaining;
  for (const auto& path : task.built.outputs) {
    auto row = services_.storage.findCachePush(id, path);
    if (row && *row && (*row)->state == "pushed") continue;
    remaining.push_back(path);
  }
  if (remaining.empty()) return std::nullopt;

  const auto started = std::chrono::steady_clock::now();
  sdk::CachePushRequest request{remaining, target.repository, target.branch, settings_.pushTimeout};
  // The registry's instances are guarded: a plugin that throws answers E3009.
  sdk::Result<sdk::CachePushResult> pushed = entry->cache->push(request);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  services_.metrics
      .histogram("cache_push_duration_seconds", "Wall-clock time of one push to a cache", {{"cache", id}},
                 pushBuckets())
      .observe(seconds);
  if (pushed) {
    recordAll(remaining, "pushed", "");
    services_.metrics
        .counter("cache_pushes_total", "Pushes to caches by result", {{"cache", id}, {"result", "success"}})
        .increment();
    services_.metrics.counter("cache_push_paths_total", "Store paths uploaded to caches", {{"cache", id}})
        .increment(static_cast<double>(pushed->pushed));
    services_.metrics.counter("cache_push_bytes_total", "NAR bytes uploaded to caches", {{"cache", id}})
        .increment(static_cast<double>(pushed->bytes));
    services_.logger.info("pushed to cache", {{"cache", id},
                                              {"drv", task.built.drvPath},
                                              {"uploaded", std::to_string(pushed->pushed)},
                                              {"present", std::to_string(pushed->present)}});
    return std::nullopt;
  }
  const std::string error = pushed.error().describe();
  if (task.attempt < settings_.maxAttempts) {
    recordAll(remaining, "pending", error);
    services_.metrics.counter("cache_push_retries_total", "Cache pushes tried again after a failure", {{"cache", id}})
        .increment();
    const auto delay = settings_.backoff * (1LL << std::min<std::size_t>(task.attempt - 1, 10));
    services_.logger.warn("cache push failed; trying again",
                          {{"cache", id}, {"attempt", std::to_string(task.attempt)}, {"error", error}});
    ++task.attempt;
    task.notBefore = std::chrono::steady_clock::now() + delay;
    return task;
  }
  recordAll(remaining, "failed", error);
  services_.metrics.counter("cache_pushes_total", "Pushes to caches by result", {{"cache", id}, {"result", "failure"}})
      .increment();
  services_.logger.warn("cache push failed; giving up, the build stays successful",
                        {{"cache", id}, {"attempts", std::to_string(task.attempt)}, {"error", error}});
  return std::nullopt;
}

bool PostBuildPublisher::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return (queue_.empty() && running_ == 0) || stopping_; }) &&
         queue_.empty() && running_ == 0;
}

void PostBuildPublisher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  idle_.notify_all();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

}  // namespace ekaci::publish
