#include "kernel/storage/SqliteStorage.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Transaction.h>
#include <Poco/Nullable.h>
#include <Poco/Tuple.h>
#include <unordered_map>

#include <algorithm>
#include <map>

#include "kernel/storage/Migrations.h"
#include "kernel/storage/SqliteSupport.h"

using namespace Poco::Data::Keywords;
using Poco::Data::Statement;

namespace ekaci::storage {
using sqlite::inTransaction;
using sqlite::query;
namespace {

std::string joinFeatures(const std::vector<std::string>& features) {
  std::string out;
  for (const auto& f : features) out += (out.empty() ? "" : " ") + f;
  return out;
}

std::vector<std::string> splitFeatures(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto space = text.find(' ', start);
    if (space == std::string::npos) space = text.size();
    if (space > start) out.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

Poco::Nullable<std::string> nullable(const std::optional<std::string>& value) {
  return value ? Poco::Nullable<std::string>(*value) : Poco::Nullable<std::string>();
}

std::optional<std::string> optionalOf(const Poco::Nullable<std::string>& value) {
  return value.isNull() ? std::nullopt : std::optional<std::string>(value.value());
}

}  // namespace

SqliteStorage::SqliteStorage(std::filesystem::path path, std::unique_ptr<Poco::Data::Session> session)
    : path_(std::move(path)), session_(std::move(session)) {}

SqliteStorage::~SqliteStorage() {
  if (session_) {
    try {
      *session_ << "PRAGMA wal_checkpoint(TRUNCATE)", now;
      session_->close();
    } catch (const Poco::Exception&) {
      // Closing is best effort; the WAL is replayed on the next open.
    }
  }
}

sdk::Result<std::unique_ptr<SqliteStorage>> SqliteStorage::open(const std::filesystem::path& path) {
  Poco::Data::SQLite::Connector::registerConnector();
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return sdk::Error(sdk::ErrorCode::StorageOpen,
                      "cannot create directory " + path.parent_path().string() + ": " + ec.message());
  }
  std::unique_ptr<Poco::Data::Session> session;
  try {
    session = std::make_unique<Poco::Data::Session>("SQLite", path.string());
    std::string mode;
    *session << "PRAGMA journal_mode=WAL", into(mode), now;
    *session << "PRAGMA foreign_keys=ON", now;
    *session << "PRAGMA busy_timeout=5000", now;
    *session << "PRAGMA synchronous=NORMAL", now;
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::StorageOpen, "cannot open database " + path.string() + ": " + e.displayText());
  }
  std::unique_ptr<SqliteStorage> storage(new SqliteStorage(path, std::move(session)));
  if (auto migrated = storage->migrate(); !migrated) return std::move(migrated).error();
  return storage;
}

sdk::Result<void> SqliteStorage::migrate() {
  std::lock_guard lock(mutex_);
  try {
    *session_
        << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
           "applied_at INTEGER NOT NULL DEFAULT (unixepoch()))",
        now;
    int current = 0;
    *session_ << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(current), now;
    const int latest = Migrations::latestVersion();
    if (current > latest) {
      return sdk::Error(sdk::ErrorCode::StorageSchemaTooNew,
                        "database " + path_.string() + " has schema version " + std::to_string(current) +
                            ", but this eka-ci knows versions up to " + std::to_string(latest) +
                            "; run the newer eka-ci that wrote it, or restore a backup");
    }
    if (current == latest) return sdk::success();
    Poco::Data::Transaction transaction(*session_);
    for (const auto& migration : Migrations::sqlite()) {
      if (migration.version <= current) continue;
      for (const auto& statement : migration.statements) *session_ << statement, now;
      int version = migration.version;
      std::string description = migration.description;
      *session_ << "INSERT INTO schema_migrations (version, description) VALUES (?, ?)", use(version), use(description),
          now;
    }
    transaction.commit();
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::StorageMigration,
                      "migrating " + path_.string() + " failed and was rolled back: " + e.displayText());
  }
  return sdk::success();
}

int SqliteStorage::schemaVersion() {
  std::lock_guard lock(mutex_);
  int version = 0;
  *session_ << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
  return version;
}

std::string SqliteStorage::journalMode() {
  std::lock_guard lock(mutex_);
  std::string mode;
  *session_ << "PRAGMA journal_mode", into(mode), now;
  return mode;
}

bool SqliteStorage::foreignKeysEnabled() {
  std::lock_guard lock(mutex_);
  int on = 0;
  *session_ << "PRAGMA foreign_keys", into(on), now;
  return on == 1;
}

sdk::Result<std::int64_t> SqliteStorage::upsertRepository(const RepositoryRecord& r) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "upsert repository " + r.owner + "/" + r.name, [&] {
    std::string forge = r.forgeId, owner = r.owner, name = r.name, url = r.cloneUrl, branch = r.defaultBranch;
    *session_ << "INSERT INTO repositories (forge_id, owner, name, clone_url, default_branch) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (forge_id, owner, name) DO UPDATE SET clone_url = excluded.clone_url, "
                 "default_branch = excluded.default_branch",
        use(forge), use(owner), use(name), use(url), use(branch), now;
    std::int64_t id = 0;
    *session_ << "SELECT id FROM repositories WHERE forge_id = ? AND owner = ? AND name = ?", use(forge), use(owner),
        use(name), into(id), now;
    return id;
  });
}

sdk::Result<std::int64_t> SqliteStorage::upsertCommit(std::int64_t repositoryId, const std::string& sha) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "upsert commit " + sha, [&] {
    std::string s = sha;
    *session_ << "INSERT INTO commits (repository_id, sha) VALUES (?, ?) ON CONFLICT DO NOTHING", use(repositoryId),
        use(s), now;
    std::int64_t id = 0;
    *session_ << "SELECT id FROM commits WHERE repository_id = ? AND sha = ?", use(repositoryId), use(s), into(id), now;
    return id;
  });
}

sdk::Result<std::int64_t> SqliteStorage::upsertPullRequest(const PullRequestRecord& p) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "upsert pull request #" + std::to_string(p.number), [&] {
    std::int64_t repo = p.repositoryId, number = p.number;
    std::string title = p.title, author = p.author, state = toString(p.state), baseBranch = p.baseBranch,
                baseSha = p.baseSha, headBranch = p.headBranch, headSha = p.headSha;
    int fork = p.fromFork ? 1 : 0;
    *session_
        << "INSERT INTO pull_requests (repository_id, number, title, author, state, base_branch, base_sha, "
           "head_branch, head_sha, from_fork) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (repository_id, number) DO UPDATE SET title = excluded.title, state = excluded.state, "
           "base_branch = excluded.base_branch, base_sha = excluded.base_sha, head_branch = excluded.head_branch, "
           "head_sha = excluded.head_sha, from_fork = excluded.from_fork, updated_at = unixepoch()",
        use(repo), use(number), use(title), use(author), use(state), use(baseBranch), use(baseSha), use(headBranch),
        use(headSha), use(fork), now;
    std::int64_t id = 0;
    *session_ << "SELECT id FROM pull_requests WHERE repository_id = ? AND number = ?", use(repo), use(number),
        into(id), now;
    return id;
  });
}

sdk::Result<std::optional<PullRequestRecord>> SqliteStorage::findPullRequest(std::int64_t repositoryId,
                                                                             std::int64_t number) {
  std::lock_guard lock(mutex_);
  return query<std::optional<PullRequestRecord>>("find pull request", [&]() -> std::optional<PullRequestRecord> {
    Poco::Tuple<std::int64_t, std::string, std::string, std::string, std::string, std::string, std::string, std::string,
                int>
        row;
    Statement select(*session_);
    select << "SELECT id, title, author, state, base_branch, base_sha, head_branch, head_sha, from_fork "
              "FROM pull_requests WHERE repository_id = ? AND number = ?",
        use(repositoryId), use(number), into(row), limit(1);
    if (select.execute() == 0) return std::nullopt;
    PullRequestRecord p;
    p.id = row.get<0>();
    p.repositoryId = repositoryId;
    p.number = number;
    p.title = row.get<1>();
    p.author = row.get<2>();
    p.state = changeRequestStateFrom(row.get<3>()).value_or(ChangeRequestState::Open);
    p.baseBranch = row.get<4>();
    p.baseSha = row.get<5>();
    p.headBranch = row.get<6>();
    p.headSha = row.get<7>();
    p.fromFork = row.get<8>() != 0;
    return p;
  });
}

sdk::Result<std::int64_t> SqliteStorage::createJobset(const JobsetRecord& j) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "create jobset " + j.jobName, [&] {
    std::int64_t repo = j.repositoryId, commit = j.commitId;
    std::string name = j.jobName, config = j.configJson.empty() ? "{}" : j.configJson, state = toString(j.evalState);
    *session_ << "INSERT INTO jobsets (repository_id, commit_id, job_name, config_json, eval_state) "
                 "VALUES (?, ?, ?, ?, ?)",
        use(repo), use(commit), use(name), use(config), use(state), now;
    std::int64_t id = 0;
    *session_ << "SELECT last_insert_rowid()", into(id), now;
    return id;
  });
}

sdk::Result<std::optional<JobsetRecord>> SqliteStorage::findJobset(std::int64_t commitId, const std::string& jobName) {
  std::lock_guard lock(mutex_);
  return query<std::optional<JobsetRecord>>("find jobset", [&]() -> std::optional<JobsetRecord> {
    Poco::Tuple<std::int64_t, std::int64_t, std::string, std::string, std::string, std::int64_t, std::int64_t> row;
    std::string name = jobName;
    Statement select(*session_);
    select << "SELECT id, repository_id, config_json, eval_state, eval_error, attributes, eval_errors "
              "FROM jobsets WHERE commit_id = ? AND job_name = ?",
        use(commitId), use(name), into(row), limit(1);
    if (select.execute() == 0) return std::nullopt;
    JobsetRecord j;
    j.id = row.get<0>();
    j.repositoryId = row.get<1>();
    j.commitId = commitId;
    j.jobName = jobName;
    j.configJson = row.get<2>();
    j.evalState = evalStateFrom(row.get<3>()).value_or(EvalState::Pending);
    j.evalError = row.get<4>();
    j.attributes = row.get<5>();
    j.evalErrors = row.get<6>();
    return j;
  });
}

sdk::Result<void> SqliteStorage::resetJobset(std::int64_t jobsetId) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "reset jobset", [&] {
    *session_ << "DELETE FROM jobs WHERE jobset_id = ?", use(jobsetId), now;
    *session_ << "UPDATE jobsets SET eval_state = 'running', eval_error = '', attributes = 0, eval_errors = 0, "
                 "finished_at = NULL WHERE id = ?",
        use(jobsetId), now;
  });
}

sdk::Result<void> SqliteStorage::finishJobset(std::int64_t jobsetId, EvalState state, const std::string& error,
                                              std::int64_t attributes, std::int64_t evalErrors) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "finish jobset", [&] {
    std::string s = toString(state), e = error;
    *session_ << "UPDATE jobsets SET eval_state = ?, eval_error = ?, attributes = ?, eval_errors = ?, "
                 "finished_at = unixepoch() WHERE id = ?",
        use(s), use(e), use(attributes), use(evalErrors), use(jobsetId), now;
  });
}

sdk::Result<std::vector<std::int64_t>> SqliteStorage::upsertDrvs(const std::vector<DrvRecord>& drvs) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::vector<std::int64_t>>(*session_, "upsert derivations", [&] {
    // Column vectors: Poco executes the prepared statement once per element.
    std::vector<std::string> paths, systems, features;
    std::vector<int> fods, preferLocal;
    std::vector<Poco::Nullable<std::string>> pnames, versions, licenses, maintainers;
    for (const auto& d : drvs) {
      paths.push_back(d.drvPath);
      systems.push_back(d.system);
      features.push_back(joinFeatures(d.requiredFeatures));
      fods.push_back(d.isFixedOutput ? 1 : 0);
      preferLocal.push_back(d.preferLocalBuild ? 1 : 0);
      pnames.push_back(nullable(d.pname));
      versions.push_back(nullable(d.version));
      licenses.push_back(nullable(d.licenseJson));
      maintainers.push_back(nullable(d.maintainersJson));
    }
    std::vector<std::int64_t> ids;
    if (drvs.empty()) return ids;
    *session_ << "INSERT INTO drvs (drv_path, system, is_fod, required_features, prefer_local, pname, version, "
                 "license_json, maintainers_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT (drv_path) DO UPDATE SET pname = COALESCE(excluded.pname, pname), "
                 "version = COALESCE(excluded.version, version), "
                 "license_json = COALESCE(excluded.license_json, license_json), "
                 "maintainers_json = COALESCE(excluded.maintainers_json, maintainers_json)",
        use(paths), use(systems), use(fods), use(features), use(preferLocal), use(pnames), use(versions), use(licenses),
        use(maintainers), now;
    // The ids, 500 paths per statement (each one bound, never spliced into the SQL).
    std::unordered_map<std::string, std::int64_t> idOf;
    idOf.reserve(drvs.size());
    constexpr std::size_t kChunk = 500;
    for (std::size_t first = 0; first < paths.size(); first += kChunk) {
      const std::size_t count = std::min(kChunk, paths.size() - first);
      std::string sql = "SELECT drv_path, id FROM drvs WHERE drv_path IN (?";
      for (std::size_t i = 1; i < count; ++i) sql += ",?";
      sql += ")";
      std::vector<std::string> foundPaths;
      std::vector<std::int64_t> foundIds;
      Statement select(*session_);
      select << sql;
      for (std::size_t i = 0; i < count; ++i) select.addBind(Poco::Data::Keywords::useRef(paths[first + i]));
      select.addExtract(into(foundPaths));
      select.addExtract(into(foundIds));
      select.execute();
      for (std::size_t i = 0; i < foundPaths.size() && i < foundIds.size(); ++i) {
        idOf[std::move(foundPaths[i])] = foundIds[i];
      }
    }
    ids.reserve(drvs.size());
    std::vector<std::int64_t> outputDrv;
    std::vector<std::string> outputNames, outputPaths;
    for (const auto& d : drvs) {
      const std::int64_t id = idOf.at(d.drvPath);
      ids.push_back(id);
      for (const auto& [name, storePath] : d.outputs) {
        outputDrv.push_back(id);
        outputNames.push_back(name);
        outputPaths.push_back(storePath);
      }
    }
    if (!outputDrv.empty()) {
      *session_ << "INSERT INTO drv_outputs (drv_id, name, path) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
          use(outputDrv), use(outputNames), use(outputPaths), now;
    }
    return ids;
  });
}

sdk::Result<std::optional<DrvRecord>> SqliteStorage::findDrv(const std::string& drvPath) {
  std::lock_guard lock(mutex_);
  return query<std::optional<DrvRecord>>("find derivation " + drvPath, [&]() -> std::optional<DrvRecord> {
    Poco::Tuple<std::int64_t, std::string, int, std::string, int, Poco::Nullable<std::string>,
                Poco::Nullable<std::string>, Poco::Nullable<std::string>, Poco::Nullable<std::string>>
        row;
    std::string path = drvPath;
    Statement select(*session_);
    select << "SELECT id, system, is_fod, required_features, prefer_local, pname, version, license_json, "
              "maintainers_json FROM drvs WHERE drv_path = ?",
        use(path), into(row), limit(1);
    if (select.execute() == 0) return std::nullopt;
    DrvRecord d;
    d.id = row.get<0>();
    d.drvPath = drvPath;
    d.system = row.get<1>();
    d.isFixedOutput = row.get<2>() != 0;
    d.requiredFeatures = splitFeatures(row.get<3>());
    d.preferLocalBuild = row.get<4>() != 0;
    d.pname = optionalOf(row.get<5>());
    d.version = optionalOf(row.get<6>());
    d.licenseJson = optionalOf(row.get<7>());
    d.maintainersJson = optionalOf(row.get<8>());
    std::vector<std::string> names, paths;
    *session_ << "SELECT name, path FROM drv_outputs WHERE drv_id = ? ORDER BY name", use(d.id), into(names),
        into(paths), now;
    for (std::size_t i = 0; i < names.size(); ++i) d.outputs.emplace_back(names[i], paths[i]);
    return d;
  });
}

sdk::Result<void> SqliteStorage::insertDrvReferences(const std::vector<std::pair<std::int64_t, std::int64_t>>& edges) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "insert derivation references", [&] {
    if (edges.empty()) return;
    std::vector<std::int64_t> referrers, references;
    referrers.reserve(edges.size());
    references.reserve(edges.size());
    for (const auto& [referrer, reference] : edges) {
      referrers.push_back(referrer);
      references.push_back(reference);
    }
    *session_ << "INSERT INTO drv_refs (referrer_id, reference_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        use(referrers), use(references), now;
  });
}

sdk::Result<std::vector<std::int64_t>> SqliteStorage::referencesOf(std::int64_t drvId) {
  std::lock_guard lock(mutex_);
  return query<std::vector<std::int64_t>>("references of derivation", [&] {
    std::vector<std::int64_t> ids;
    *session_ << "SELECT reference_id FROM drv_refs WHERE referrer_id = ? ORDER BY reference_id", use(drvId), into(ids),
        now;
    return ids;
  });
}

sdk::Result<std::vector<std::int64_t>> SqliteStorage::referrersOf(std::int64_t drvId) {
  std::lock_guard lock(mutex_);
  return query<std::vector<std::int64_t>>("referrers of derivation", [&] {
    std::vector<std::int64_t> ids;
    *session_ << "SELECT referrer_id FROM drv_refs WHERE reference_id = ? ORDER BY referrer_id", use(drvId), into(ids),
        now;
    return ids;
  });
}

sdk::Result<void> SqliteStorage::insertJobs(std::int64_t jobsetId, const std::vector<JobRecord>& jobs) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "insert jobs", [&] {
    if (jobs.empty()) return;
    std::vector<std::int64_t> jobsetIds(jobs.size(), jobsetId);
    std::vector<std::string> attrs, kinds;
    std::vector<Poco::Nullable<std::int64_t>> drvIds;
    std::vector<Poco::Nullable<std::string>> errors, systems, pnames, versions, licenses, maintainers, tests, warnings;
    for (const auto& j : jobs) {
      attrs.push_back(j.attrPath);
      kinds.push_back(toString(j.diffKind));
      drvIds.push_back(j.drvId ? Poco::Nullable<std::int64_t>(*j.drvId) : Poco::Nullable<std::int64_t>());
      errors.push_back(nullable(j.evalError));
      systems.push_back(nullable(j.system));
      pnames.push_back(nullable(j.pname));
      versions.push_back(nullable(j.version));
      licenses.push_back(nullable(j.licenseJson));
      maintainers.push_back(nullable(j.maintainersJson));
      tests.push_back(nullable(j.testsJson));
      warnings.push_back(nullable(j.metaWarningsJson));
    }
    *session_ << "INSERT INTO jobs (jobset_id, attr_path, drv_id, diff_kind, eval_error, system, pname, version, "
                 "license_json, maintainers_json, tests_json, meta_warnings_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                 "?, ?, ?) "
                 "ON CONFLICT (jobset_id, attr_path) DO UPDATE SET drv_id = excluded.drv_id, "
                 "diff_kind = excluded.diff_kind, eval_error = excluded.eval_error, system = excluded.system, "
                 "pname = excluded.pname, version = excluded.version, license_json = excluded.license_json, "
                 "maintainers_json = excluded.maintainers_json, tests_json = excluded.tests_json, "
                 "meta_warnings_json = excluded.meta_warnings_json",
        use(jobsetIds), use(attrs), use(drvIds), use(kinds), use(errors), use(systems), use(pnames), use(versions),
        use(licenses), use(maintainers), use(tests), use(warnings), now;
  });
}

sdk::Result<std::vector<JobRecord>> SqliteStorage::jobsOf(std::int64_t jobsetId) {
  auto stored = loadJobset(jobsetId);
  if (!stored) return std::move(stored).error();
  std::vector<JobRecord> out;
  out.reserve(stored->size());
  for (auto& s : *stored) out.push_back(std::move(s.job));
  return out;
}

sdk::Result<std::vector<StoredJob>> SqliteStorage::loadJobset(std::int64_t jobsetId) {
  std::lock_guard lock(mutex_);
  return query<std::vector<StoredJob>>("load jobset", [&] {
    std::vector<std::int64_t> ids;
    std::vector<std::string> attrs, kinds;
    std::vector<Poco::Nullable<std::int64_t>> drvIds;
    std::vector<Poco::Nullable<std::string>> errors, systems, pnames, versions, licenses, maintainers, tests, warnings,
        paths;
    *session_ << "SELECT j.id, j.attr_path, j.drv_id, j.diff_kind, j.eval_error, j.system, j.pname, j.version, "
                 "j.license_json, j.maintainers_json, j.tests_json, j.meta_warnings_json, d.drv_path FROM jobs j "
                 "LEFT JOIN drvs d ON d.id = j.drv_id WHERE j.jobset_id = ? ORDER BY j.attr_path",
        use(jobsetId), into(ids), into(attrs), into(drvIds), into(kinds), into(errors), into(systems), into(pnames),
        into(versions), into(licenses), into(maintainers), into(tests), into(warnings), into(paths), now;
    std::vector<StoredJob> out(ids.size());
    std::multimap<std::int64_t, std::size_t> byDrv;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      JobRecord& j = out[i].job;
      j.id = ids[i];
      j.attrPath = attrs[i];
      if (!drvIds[i].isNull()) {
        j.drvId = drvIds[i].value();
        byDrv.emplace(*j.drvId, i);
      }
      j.diffKind = diffKindFrom(kinds[i]).value_or(DiffKind::Unchanged);
      j.evalError = optionalOf(errors[i]);
      j.system = optionalOf(systems[i]);
      j.pname = optionalOf(pnames[i]);
      j.version = optionalOf(versions[i]);
      j.licenseJson = optionalOf(licenses[i]);
      j.maintainersJson = optionalOf(maintainers[i]);
      j.testsJson = optionalOf(tests[i]);
      j.metaWarningsJson = optionalOf(warnings[i]);
      out[i].drvPath = optionalOf(paths[i]).value_or("");
    }
    std::vector<std::int64_t> outputDrvs;
    std::vector<std::string> names, storePaths;
    *session_ << "SELECT o.drv_id, o.name, o.path FROM drv_outputs o "
                 "WHERE o.drv_id IN (SELECT drv_id FROM jobs WHERE jobset_id = ?) ORDER BY o.drv_id, o.name",
        use(jobsetId), into(outputDrvs), into(names), into(storePaths), now;
    for (std::size_t i = 0; i < outputDrvs.size(); ++i) {
      // Several attributes may share one derivation; each of them gets the outputs.
      auto [first, last] = byDrv.equal_range(outputDrvs[i]);
      for (auto it = first; it != last; ++it) out[it->second].outputs.emplace_back(names[i], storePaths[i]);
    }
    return out;
  });
}

void SqliteStorage::setTransitionGuard(TransitionGuard guard) {
  std::lock_guard lock(mutex_);
  transitionGuard_ = std::move(guard);
}

sdk::Result<std::int64_t> SqliteStorage::recordBuildEvent(const BuildEventRecord& e) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "record build event", [&] {
    std::int64_t drv = e.drvId, attempt = e.attempt, at = e.at;
    std::string state = e.state, detail = e.detail;
    if (transitionGuard_) {
      Poco::Nullable<std::string> current;
      *session_ << "SELECT build_state FROM drvs WHERE id = ?", use(drv), into(current), now;
      const std::string from = current.isNull() ? "new" : current.value();
      if (!transitionGuard_(from, state)) {
        throw Poco::Data::DataException("constraint: the build state machine forbids " + from + " -> " + state);
      }
    }
    *session_ << "INSERT INTO build_events (drv_id, attempt, state, detail, at) VALUES (?, ?, ?, ?, ?)", use(drv),
        use(attempt), use(state), use(detail), use(at), now;
    std::int64_t id = 0;
    *session_ << "SELECT last_insert_rowid()", into(id), now;
    *session_ << "UPDATE drvs SET build_state = ? WHERE id = ?", use(state), use(drv), now;
    return id;
  });
}

sdk::Result<std::vector<BuildEventRecord>> SqliteStorage::buildEvents(std::int64_t drvId) {
  std::lock_guard lock(mutex_);
  return query<std::vector<BuildEventRecord>>("build events", [&] {
    std::vector<std::int64_t> ids, attempts, ats;
    std::vector<std::string> states, details;
    *session_ << "SELECT id, attempt, state, detail, at FROM build_events WHERE drv_id = ? ORDER BY id", use(drvId),
        into(ids), into(attempts), into(states), into(details), into(ats), now;
    std::vector<BuildEventRecord> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out[i] = BuildEventRecord{ids[i], drvId, attempts[i], states[i], details[i], ats[i]};
    }
    return out;
  });
}

sdk::Result<std::int64_t> SqliteStorage::enqueueOutbox(const OutboxMessage& m) {
  std::lock_guard lock(mutex_);
  return inTransaction<std::int64_t>(*session_, "enqueue forge message", [&] {
    std::string forge = m.forgeId, kind = m.kind, payload = m.payloadJson;
    Poco::Nullable<std::string> key = nullable(m.dedupeKey);
    std::int64_t next = m.nextAttemptAt;
    if (m.dedupeKey) {
      // A newer report for the same thing supersedes the one not yet delivered.
      std::string k = *m.dedupeKey;
      *session_ << "DELETE FROM forge_outbox WHERE dedupe_key = ? AND delivered_at IS NULL", use(k), now;
    }
    *session_ << "INSERT INTO forge_outbox (forge_id, kind, payload_json, dedupe_key, next_attempt_at) "
                 "VALUES (?, ?, ?, ?, ?)",
        use(forge), use(kind), use(payload), use(key), use(next), now;
    std::int64_t id = 0;
    *session_ << "SELECT last_insert_rowid()", into(id), now;
    return id;
  });
}

sdk::Result<std::vector<OutboxMessage>> SqliteStorage::dueOutbox(std::int64_t nowSeconds, std::size_t maxCount) {
  std::lock_guard lock(mutex_);
  return query<std::vector<OutboxMessage>>("due forge messages", [&] {
    std::vector<std::int64_t> ids, attempts, next;
    std::vector<std::string> forges, kinds, payloads, errors;
    std::vector<Poco::Nullable<std::string>> keys;
    auto count = static_cast<std::int64_t>(maxCount);
    *session_ << "SELECT id, forge_id, kind, payload_json, dedupe_key, attempts, next_attempt_at, last_error "
                 "FROM forge_outbox WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT ?",
        use(nowSeconds), use(count), into(ids), into(forges), into(kinds), into(payloads), into(keys), into(attempts),
        into(next), into(errors), now;
    std::vector<OutboxMessage> out(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out[i] =
          OutboxMessage{ids[i], forges[i], kinds[i], payloads[i], optionalOf(keys[i]), attempts[i], next[i], errors[i]};
    }
    return out;
  });
}

sdk::Result<void> SqliteStorage::markOutboxDelivered(std::int64_t id, std::int64_t at) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "mark forge message delivered", [&] {
    *session_ << "UPDATE forge_outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?", use(at), use(id),
        now;
  });
}

sdk::Result<void> SqliteStorage::markOutboxFailed(std::int64_t id, const std::string& error,
                                                  std::int64_t nextAttemptAt) {
  std::lock_guard lock(mutex_);
  return inTransaction<void>(*session_, "mark forge message failed", [&] {
    std::string e = error;
    *session_ << "UPDATE forge_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
        use(e), use(nextAttemptAt), use(id), now;
  });
}

sdk::Result<StorageCounts> SqliteStorage::counts() {
  std::lock_guard lock(mutex_);
  return query<StorageCounts>("counts", [&] {
    StorageCounts c;
    *session_ << "SELECT COUNT(*) FROM repositories", into(c.repositories), now;
    *session_ << "SELECT COUNT(*) FROM pull_requests", into(c.pullRequests), now;
    *session_ << "SELECT COUNT(*) FROM jobsets", into(c.jobsets), now;
    *session_ << "SELECT COUNT(*) FROM drvs", into(c.drvs), now;
    *session_ << "SELECT COUNT(*) FROM forge_outbox WHERE delivered_at IS NULL", into(c.pendingOutbox), now;
    std::vector<std::string> systems;
    std::vector<std::int64_t> queued;
    *session_ << "SELECT system, COUNT(*) FROM drvs WHERE build_state IN ('queued', 'buildable') GROUP BY system "
                 "ORDER BY system",
        into(systems), into(queued), now;
    for (std::size_t i = 0; i < systems.size(); ++i) c.queuedBySystem.emplace_back(systems[i], queued[i]);
    return c;
  });
}

}  // namespace ekaci::storage
