// SqliteStorage: what happens after a build — pushes to binary caches and post-build hook runs.
#include <Poco/Data/Session.h>

#include "kernel/storage/SqliteStorage.h"
#include "kernel/storage/SqliteSupport.h"

using namespace Poco::Data::Keywords;

namespace ekaci::storage {
using sqlite::inTransaction;
using sqlite::query;

namespace {

Poco::Nullable<std::int64_t> nullableId(std::int64_t id) {
  return id > 0 ? Poco::Nullable<std::int64_t>(id) : Poco::Nullable<std::int64_t>();
}

}  // namespace

sdk::Result<void> SqliteStorage::saveCachePush(const CachePushRecord& push) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "save cache push", [&] {
    std::string cache = push.cacheId, path = push.storePath, state = push.state, error = push.lastError;
    auto drv = nullableId(push.drvId);
    std::int64_t attempts = push.attempts;
    Poco::Nullable<std::int64_t> finished =
        push.finishedAt > 0 ? Poco::Nullable<std::int64_t>(push.finishedAt) : Poco::Nullable<std::int64_t>();
    *session_ << "INSERT INTO cache_pushes (cache_id, drv_id, store_path, state, attempts, last_error, finished_at) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (cache_id, store_path) DO UPDATE SET "
                 "drv_id = COALESCE(excluded.drv_id, drv_id), state = excluded.state, attempts = excluded.attempts, "
                 "last_error = excluded.last_error, finished_at = excluded.finished_at",
        use(cache), use(drv), use(path), use(state), use(attempts), use(error), use(finished), now;
  });
}

namespace {

template <typename Session>
std::vector<CachePushRecord> selectPushes(Session& session, const std::string& where, std::string a, std::string b,
                                          std::int64_t id) {
  std::vector<std::string> caches, paths, states, errors;
  std::vector<Poco::Nullable<std::int64_t>> drvs, finished;
  std::vector<std::int64_t> attempts;
  const std::string sql =
      "SELECT cache_id, drv_id, store_path, state, attempts, last_error, finished_at FROM cache_pushes WHERE " + where +
      " ORDER BY cache_id, store_path";
  if (id > 0) {
    session << sql, use(id), into(caches), into(drvs), into(paths), into(states), into(attempts), into(errors),
        into(finished), now;
  } else {
    session << sql, use(a), use(b), into(caches), into(drvs), into(paths), into(states), into(attempts), into(errors),
        into(finished), now;
  }
  std::vector<CachePushRecord> out;
  for (std::size_t i = 0; i < caches.size(); ++i) {
    CachePushRecord r;
    r.cacheId = caches[i];
    r.drvId = drvs[i].isNull() ? 0 : drvs[i].value();
    r.storePath = paths[i];
    r.state = states[i];
    r.attempts = attempts[i];
    r.lastError = errors[i];
    r.finishedAt = finished[i].isNull() ? 0 : finished[i].value();
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

sdk::Result<std::optional<CachePushRecord>> SqliteStorage::findCachePush(const std::string& cacheId,
                                                                         const std::string& storePath) {
  std::lock_guard lock(mutex_);
  return query<std::optional<CachePushRecord>>("find cache push", [&]() -> std::optional<CachePushRecord> {
    auto rows = selectPushes(*session_, "cache_id = ? AND store_path = ?", cacheId, storePath, 0);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  });
}

sdk::Result<std::vector<CachePushRecord>> SqliteStorage::cachePushesOf(std::int64_t drvId) {
  std::lock_guard lock(mutex_);
  return query<std::vector<CachePushRecord>>("cache pushes of a derivation",
                                             [&] { return selectPushes(*session_, "drv_id = ?", "", "", drvId); });
}

sdk::Result<std::int64_t> SqliteStorage::startHookRun(const HookRunRecord& run) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "start hook run", [&] {
    std::int64_t drv = run.drvId, started = run.startedAt;
    std::string name = run.hookName, log = run.logPath;
    *session_ << "INSERT INTO hook_runs (drv_id, hook_name, started_at, log_path) VALUES (?, ?, ?, ?)", use(drv),
        use(name), use(started), use(log), now;
    std::int64_t id = 0;
    *session_ << "SELECT last_insert_rowid()", into(id), now;
    return id;
  });
}

sdk::Result<void> SqliteStorage::finishHookRun(std::int64_t id, std::int64_t finishedAt,
                                               std::optional<std::int64_t> exitCode, bool success) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "finish hook run", [&] {
    Poco::Nullable<std::int64_t> code =
        exitCode ? Poco::Nullable<std::int64_t>(*exitCode) : Poco::Nullable<std::int64_t>();
    std::int64_t ok = success ? 1 : 0, at = finishedAt, row = id;
    *session_ << "UPDATE hook_runs SET finished_at = ?, exit_code = ?, success = ? WHERE id = ?", use(at), use(code),
        use(ok), use(row), now;
  });
}

sdk::Result<std::vector<HookRunRecord>> SqliteStorage::hookRunsOf(std::int64_t drvId) {
  std::lock_guard lock(mutex_);
  return query<std::vector<HookRunRecord>>("hook runs of a derivation", [&] {
    std::vector<std::int64_t> ids, started;
    std::vector<std::string> names;
    std::vector<Poco::Nullable<std::int64_t>> finished, codes, oks;
    std::vector<Poco::Nullable<std::string>> logs;
    std::int64_t drv = drvId;
    *session_ << "SELECT id, hook_name, started_at, finished_at, exit_code, success, log_path FROM hook_runs "
                 "WHERE drv_id = ? ORDER BY started_at, id",
        use(drv), into(ids), into(names), into(started), into(finished), into(codes), into(oks), into(logs), now;
    std::vector<HookRunRecord> out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      HookRunRecord r;
      r.id = ids[i];
      r.drvId = drvId;
      r.hookName = names[i];
      r.startedAt = started[i];
      r.finishedAt = finished[i].isNull() ? 0 : finished[i].value();
      if (!codes[i].isNull()) r.exitCode = codes[i].value();
      r.success = !oks[i].isNull() && oks[i].value() != 0;
      r.logPath = logs[i].isNull() ? "" : logs[i].value();
      out.push_back(std::move(r));
    }
    return out;
  });
}

sdk::Result<void> SqliteStorage::savePublishTarget(std::int64_t jobsetId, const std::string& target) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "save publish target", [&] {
    std::int64_t id = jobsetId;
    std::string text = target;
    *session_ << "INSERT INTO publish_targets (jobset_id, target) VALUES (?, ?) "
                 "ON CONFLICT (jobset_id) DO UPDATE SET target = excluded.target, saved_at = unixepoch()",
        use(id), use(text), now;
  });
}

sdk::Result<void> SqliteStorage::deletePublishTarget(std::int64_t jobsetId) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "delete publish target", [&] {
    std::int64_t id = jobsetId;
    *session_ << "DELETE FROM publish_targets WHERE jobset_id = ?", use(id), now;
  });
}

sdk::Result<std::vector<std::pair<std::int64_t, std::string>>> SqliteStorage::publishTargets() {
  std::lock_guard lock(mutex_);
  return inTransaction<std::vector<std::pair<std::int64_t, std::string>>>(*session_, "read publish targets", [&] {
    std::vector<std::int64_t> ids;
    std::vector<std::string> targets;
    *session_ << "SELECT jobset_id, target FROM publish_targets ORDER BY jobset_id", into(ids), into(targets), now;
    std::vector<std::pair<std::int64_t, std::string>> out;
    for (std::size_t i = 0; i < ids.size(); ++i) out.emplace_back(ids[i], targets[i]);
    return out;
  });
}

}  // namespace ekaci::storage
