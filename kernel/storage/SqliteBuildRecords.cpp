// SqliteStorage: the scheduler's bookkeeping (derivation states, jobsets handed to the
// scheduler and their roots).
#include <Poco/Data/Session.h>

#include <algorithm>
#include <unordered_map>

#include "kernel/storage/SqliteStorage.h"
#include "kernel/storage/SqliteSupport.h"

using namespace Poco::Data::Keywords;

namespace ekaci::storage {
using sqlite::inTransaction;
using sqlite::query;

namespace {

// The current state of each derivation joined with its last event.
constexpr const char* kStatusSelect =
    "SELECT d.id, d.drv_path, d.build_state, COALESCE(e.attempt, 0), COALESCE(e.detail, ''), COALESCE(e.at, 0), "
    "d.failure_expires_at FROM drvs d LEFT JOIN build_events e ON e.id = "
    "(SELECT MAX(id) FROM build_events WHERE drv_id = d.id) ";

// Ids per statement, well under SQLite's limit on the length of one statement.
constexpr std::size_t kStatusChunk = 500;

}  // namespace

std::vector<DrvBuildStatus> SqliteStorage::statusesOf(const std::vector<std::int64_t>& drvIds) {
  // One statement per chunk of ids. The ids are integers formatted here, never text from outside,
  // so they are written into the IN list directly.
  std::unordered_map<std::int64_t, DrvBuildStatus> found;
  for (std::size_t start = 0; start < drvIds.size(); start += kStatusChunk) {
    const std::size_t end = std::min(drvIds.size(), start + kStatusChunk);
    std::string sql = std::string(kStatusSelect) + "WHERE d.id IN (";
    for (std::size_t i = start; i < end; ++i) {
      if (i != start) sql += ',';
      sql += std::to_string(drvIds[i]);
    }
    sql += ')';
    std::vector<std::int64_t> ids, attempts, ats, expiries;
    std::vector<std::string> paths, states, details;
    *session_ << sql, into(ids), into(paths), into(states), into(attempts), into(details), into(ats), into(expiries),
        now;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      found[ids[i]] = DrvBuildStatus{ids[i], paths[i], states[i], attempts[i], details[i], ats[i], expiries[i]};
    }
  }
  // In the order asked for; unknown ids are left out, a repeated id is answered each time.
  std::vector<DrvBuildStatus> out;
  out.reserve(drvIds.size());
  for (std::int64_t id : drvIds) {
    auto it = found.find(id);
    if (it != found.end()) out.push_back(it->second);
  }
  return out;
}

sdk::Result<std::vector<DrvBuildStatus>> SqliteStorage::drvStatuses(const std::vector<std::int64_t>& drvIds) {
  std::lock_guard lock(mutex_);
  return query<std::vector<DrvBuildStatus>>("derivation states", [&] { return statusesOf(drvIds); });
}

sdk::Result<std::optional<DrvBuildStatus>> SqliteStorage::drvStatus(const std::string& drvPath) {
  std::lock_guard lock(mutex_);
  return query<std::optional<DrvBuildStatus>>("derivation state", [&]() -> std::optional<DrvBuildStatus> {
    std::int64_t id = -1;
    *session_ << "SELECT id FROM drvs WHERE drv_path = ?", bind(drvPath), into(id), now;
    if (id < 0) return std::nullopt;
    auto rows = statusesOf({id});
    if (rows.empty()) return std::nullopt;
    return rows.front();
  });
}

sdk::Result<std::vector<DrvBuildStatus>> SqliteStorage::drvsInStates(const std::vector<std::string>& states,
                                                                     std::size_t limit) {
  std::lock_guard lock(mutex_);
  return query<std::vector<DrvBuildStatus>>("derivations by state", [&] {
    std::vector<DrvBuildStatus> out;
    for (const auto& state : states) {
      std::vector<std::int64_t> ids;
      std::string name = state;
      std::int64_t max = static_cast<std::int64_t>(limit);
      *session_ << "SELECT id FROM drvs WHERE build_state = ? ORDER BY id LIMIT ?", use(name), use(max), into(ids), now;
      auto rows = statusesOf(ids);
      out.insert(out.end(), rows.begin(), rows.end());
    }
    return out;
  });
}

sdk::Result<void> SqliteStorage::setFailureExpiry(std::int64_t drvId, std::int64_t expiresAt) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "set failure expiry", [&] {
    *session_ << "UPDATE drvs SET failure_expires_at = ? WHERE id = ?", use(expiresAt), use(drvId), now;
  });
}

sdk::Result<void> SqliteStorage::submitBuildJobset(const BuildJobsetRecord& j) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "submit jobset for building", [&] {
    std::int64_t id = j.jobsetId, rebuilds = j.rebuildCount, at = j.submittedAt;
    std::string key = j.supersedeKey;
    *session_ << "INSERT INTO jobset_builds (jobset_id, state, rebuild_count, supersede_key, submitted_at) "
                 "VALUES (?, 'building', ?, ?, ?) ON CONFLICT (jobset_id) DO UPDATE SET state = 'building', "
                 "rebuild_count = excluded.rebuild_count, supersede_key = excluded.supersede_key, "
                 "submitted_at = excluded.submitted_at, concluded_at = NULL",
        use(id), use(rebuilds), use(key), use(at), now;
    *session_ << "DELETE FROM jobset_roots WHERE jobset_id = ?", use(id), now;
    for (const auto& root : j.roots) {
      std::int64_t drv = root.drvId;
      int counts = root.counts ? 1 : 0;
      *session_ << "INSERT INTO jobset_roots (jobset_id, drv_id, counts) VALUES (?, ?, ?) "
                   "ON CONFLICT (jobset_id, drv_id) DO UPDATE SET counts = MAX(counts, excluded.counts)",
          use(id), use(drv), use(counts), now;
    }
  });
}

std::vector<BuildRoot> SqliteStorage::rootsOf(std::int64_t jobsetId) {
  std::vector<std::int64_t> ids, counts;
  std::vector<std::string> paths;
  *session_ << "SELECT r.drv_id, d.drv_path, r.counts FROM jobset_roots r JOIN drvs d ON d.id = r.drv_id "
               "WHERE r.jobset_id = ? ORDER BY r.drv_id",
      use(jobsetId), into(ids), into(paths), into(counts), now;
  std::vector<BuildRoot> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) out[i] = BuildRoot{ids[i], paths[i], counts[i] != 0};
  return out;
}

sdk::Result<std::optional<BuildJobsetRecord>> SqliteStorage::findBuildJobset(std::int64_t jobsetId) {
  std::lock_guard lock(mutex_);
  return query<std::optional<BuildJobsetRecord>>("find build jobset", [&]() -> std::optional<BuildJobsetRecord> {
    std::vector<std::string> states, keys;
    std::vector<std::int64_t> rebuilds, submitted;
    std::vector<Poco::Nullable<std::int64_t>> concluded;
    *session_ << "SELECT state, rebuild_count, supersede_key, submitted_at, concluded_at FROM jobset_builds "
                 "WHERE jobset_id = ?",
        use(jobsetId), into(states), into(rebuilds), into(keys), into(submitted), into(concluded), now;
    if (states.empty()) return std::nullopt;
    BuildJobsetRecord r;
    r.jobsetId = jobsetId;
    r.state = buildJobsetStateFrom(states[0]).value_or(BuildJobsetState::Building);
    r.rebuildCount = rebuilds[0];
    r.supersedeKey = keys[0];
    r.submittedAt = submitted[0];
    r.concludedAt = concluded[0].isNull() ? 0 : concluded[0].value();
    r.roots = rootsOf(jobsetId);
    return r;
  });
}

sdk::Result<std::vector<BuildJobsetRecord>> SqliteStorage::openBuildJobsets() {
  std::vector<std::int64_t> ids;
  {
    std::lock_guard lock(mutex_);
    auto listed = query<void>("open build jobsets", [&] {
      *session_ << "SELECT jobset_id FROM jobset_builds WHERE state = 'building' ORDER BY submitted_at, jobset_id",
          into(ids), now;
      return sdk::success();
    });
    if (!listed) return listed.error();
  }
  std::vector<BuildJobsetRecord> out;
  for (std::int64_t id : ids) {
    auto one = findBuildJobset(id);
    if (!one) return one.error();
    if (*one) out.push_back(std::move(**one));
  }
  return out;
}

sdk::Result<void> SqliteStorage::concludeBuildJobset(std::int64_t jobsetId, BuildJobsetState state, std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "conclude build jobset", [&] {
    std::string name = toString(state);
    *session_ << "UPDATE jobset_builds SET state = ?, concluded_at = ? WHERE jobset_id = ?", use(name), use(at),
        use(jobsetId), now;
  });
}

sdk::Result<void> SqliteStorage::recordOutputSizes(std::int64_t jobsetId, const std::vector<OutputSizeRecord>& sizes) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "record output sizes", [&] {
    std::int64_t known = 0;
    *session_ << "SELECT COUNT(*) FROM jobsets WHERE id = ?", use(jobsetId), into(known), now;
    if (known == 0) throw Poco::NotFoundException("jobset " + std::to_string(jobsetId));
    for (const auto& size : sizes) {
      std::int64_t drv = size.drvId, nar = size.narSize, closure = size.closureSize, at = size.recordedAt;
      std::string output = size.outputName, path = size.storePath;
      *session_
          << "INSERT INTO output_sizes (drv_id, output_name, store_path, nar_size, closure_size, repository_id, "
             "commit_id, recorded_at) SELECT ?, ?, ?, ?, ?, repository_id, commit_id, ? FROM jobsets WHERE id = ? "
             "ON CONFLICT (drv_id, output_name, commit_id) DO UPDATE SET store_path = excluded.store_path, "
             "nar_size = excluded.nar_size, closure_size = excluded.closure_size, recorded_at = excluded.recorded_at",
          use(drv), use(output), use(path), use(nar), use(closure), use(at), use(jobsetId), now;
    }
  });
}

sdk::Result<std::vector<OutputSizeRecord>> SqliteStorage::outputSizesOf(const std::vector<std::string>& storePaths) {
  std::lock_guard lock(mutex_);
  return query<std::vector<OutputSizeRecord>>("output sizes", [&] {
    std::vector<OutputSizeRecord> out;
    for (const auto& storePath : storePaths) {
      std::string path = storePath;
      std::vector<std::int64_t> drvs, nars, closures, ats;
      std::vector<std::string> outputs;
      *session_ << "SELECT drv_id, output_name, nar_size, closure_size, recorded_at FROM output_sizes "
                   "WHERE store_path = ? ORDER BY recorded_at DESC, id DESC LIMIT 1",
          use(path), into(drvs), into(outputs), into(nars), into(closures), into(ats), now;
      if (!drvs.empty()) out.push_back(OutputSizeRecord{drvs[0], outputs[0], path, nars[0], closures[0], ats[0]});
    }
    return out;
  });
}

}  // namespace ekaci::storage
