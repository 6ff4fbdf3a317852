#include "kernel/storage/Migrations.h"

namespace ekaci::storage {
namespace {

std::vector<Migration> makeSqliteMigrations() {
  return {
      {1,
       "initial schema: repositories, commits, pull requests, jobsets, jobs, derivations, builds, outbox, caches, "
       "hooks, sizes",
       {
           R"(CREATE TABLE repositories (
                id INTEGER PRIMARY KEY,
                forge_id TEXT NOT NULL,
                owner TEXT NOT NULL,
                name TEXT NOT NULL,
                clone_url TEXT NOT NULL DEFAULT '',
                default_branch TEXT NOT NULL DEFAULT 'main',
                created_at INTEGER NOT NULL DEFAULT (unixepoch()),
                UNIQUE (forge_id, owner, name)))",
           R"(CREATE TABLE commits (
                id INTEGER PRIMARY KEY,
                repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
                sha TEXT NOT NULL,
                created_at INTEGER NOT NULL DEFAULT (unixepoch()),
                UNIQUE (repository_id, sha)))",
           R"(CREATE TABLE pull_requests (
                id INTEGER PRIMARY KEY,
                repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
                number INTEGER NOT NULL,
                title TEXT NOT NULL DEFAULT '',
                author TEXT NOT NULL DEFAULT '',
                state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'merged')),
                base_branch TEXT NOT NULL DEFAULT '',
                base_sha TEXT NOT NULL DEFAULT '',
                head_branch TEXT NOT NULL DEFAULT '',
                head_sha TEXT NOT NULL DEFAULT '',
                from_fork INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL DEFAULT (unixepoch()),
                updated_at INTEGER NOT NULL DEFAULT (unixepoch()),
                UNIQUE (repository_id, number)))",
           "CREATE INDEX pull_requests_by_state ON pull_requests (repository_id, state, updated_at DESC)",
           "CREATE INDEX pull_requests_by_head ON pull_requests (head_sha)",
           R"(CREATE TABLE jobsets (
                id INTEGER PRIMARY KEY,
                repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
                commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
                job_name TEXT NOT NULL,
                config_json TEXT NOT NULL DEFAULT '{}',
                eval_state TEXT NOT NULL DEFAULT 'pending'
                  CHECK (eval_state IN ('pending', 'running', 'succeeded', 'failed')),
                eval_error TEXT NOT NULL DEFAULT '',
                attributes INTEGER NOT NULL DEFAULT 0,
                eval_errors INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL DEFAULT (unixepoch()),
                finished_at INTEGER,
                UNIQUE (commit_id, job_name)))",
           R"(CREATE TABLE drvs (
                id INTEGER PRIMARY KEY,
                drv_path TEXT NOT NULL UNIQUE,
                system TEXT NOT NULL,
                is_fod INTEGER NOT NULL DEFAULT 0,
                required_features TEXT NOT NULL DEFAULT '',
                prefer_local INTEGER NOT NULL DEFAULT 0,
                pname TEXT,
                version TEXT,
                license_json TEXT,
                maintainers_json TEXT,
                build_state TEXT NOT NULL DEFAULT 'new',
                created_at INTEGER NOT NULL DEFAULT (unixepoch())))",
           "CREATE INDEX drvs_by_pname ON drvs (pname)",
           "CREATE INDEX drvs_by_state ON drvs (build_state, system)",
           R"(CREATE TABLE drv_outputs (
                drv_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                path TEXT NOT NULL,
                PRIMARY KEY (drv_id, name)) WITHOUT ROWID)",
           "CREATE INDEX drv_outputs_by_path ON drv_outputs (path)",
           R"(CREATE TABLE drv_refs (
                referrer_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                reference_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                PRIMARY KEY (referrer_id, reference_id)) WITHOUT ROWID)",
           "CREATE INDEX drv_refs_by_reference ON drv_refs (reference_id, referrer_id)",
           R"(CREATE TABLE jobs (
                id INTEGER PRIMARY KEY,
                jobset_id INTEGER NOT NULL REFERENCES jobsets(id) ON DELETE CASCADE,
                attr_path TEXT NOT NULL,
                drv_id INTEGER REFERENCES drvs(id),
                diff_kind TEXT NOT NULL DEFAULT 'unchanged'
                  CHECK (diff_kind IN ('added', 'removed', 'changed', 'unchanged')),
                eval_error TEXT,
                UNIQUE (jobset_id, attr_path)))",
           "CREATE INDEX jobs_by_drv ON jobs (drv_id)",
           "CREATE INDEX jobs_by_jobset_kind ON jobs (jobset_id, diff_kind)",
           R"(CREATE TABLE build_attempts (
                id INTEGER PRIMARY KEY,
                drv_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL,
                builder TEXT NOT NULL DEFAULT '',
                started_at INTEGER,
                finished_at INTEGER,
                outcome TEXT,
                exit_code INTEGER,
                log_path TEXT,
                UNIQUE (drv_id, attempt)))",
           R"(CREATE TABLE build_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                drv_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                attempt INTEGER NOT NULL DEFAULT 0,
                state TEXT NOT NULL,
                detail TEXT NOT NULL DEFAULT '',
                at INTEGER NOT NULL))",
           "CREATE INDEX build_events_by_drv ON build_events (drv_id, id)",
           R"(CREATE TABLE forge_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                forge_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload_json TEXT NOT NULL,
                dedupe_key TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL DEFAULT (unixepoch()),
                delivered_at INTEGER))",
           "CREATE INDEX forge_outbox_due ON forge_outbox (delivered_at, next_attempt_at)",
           "CREATE UNIQUE INDEX forge_outbox_pending_key ON forge_outbox (dedupe_key) WHERE dedupe_key IS NOT NULL AND delivered_at IS NULL",
           R"(CREATE TABLE cache_pushes (
                id INTEGER PRIMARY KEY,
                cache_id TEXT NOT NULL,
                drv_id INTEGER REFERENCES drvs(id) ON DELETE SET NULL,
                store_path TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'pushed', 'failed', 'skipped')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NOT NULL DEFAULT '',
                created_at INTEGER NOT NULL DEFAULT (unixepoch()),
                finished_at INTEGER,
                UNIQUE (cache_id, store_path)))",
           "CREATE INDEX cache_pushes_by_state ON cache_pushes (state, created_at)",
           R"(CREATE TABLE hook_runs (
                id INTEGER PRIMARY KEY,
                drv_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                hook_name TEXT NOT NULL,
                started_at INTEGER NOT NULL,
                finished_at INTEGER,
                exit_code INTEGER,
                success INTEGER,
                log_path TEXT))",
           "CREATE INDEX hook_runs_by_drv ON hook_runs (drv_id, started_at)",
           R"(CREATE TABLE output_sizes (
                id INTEGER PRIMARY KEY,
                drv_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                output_name TEXT NOT NULL,
                store_path TEXT NOT NULL,
                nar_size INTEGER NOT NULL,
                closure_size INTEGER NOT NULL,
                repository_id INTEGER REFERENCES repositories(id) ON DELETE CASCADE,
                commit_id INTEGER REFERENCES commits(id) ON DELETE CASCADE,
                recorded_at INTEGER NOT NULL DEFAULT (unixepoch()),
                UNIQUE (drv_id, output_name, commit_id)))",
           "CREATE INDEX output_sizes_by_path ON output_sizes (store_path)",
           "CREATE INDEX output_sizes_by_repository ON output_sizes (repository_id, recorded_at DESC)",
       }},
      {2,
       "package metadata per job (the same derivation can carry different meta at two commits)",
       {
           "ALTER TABLE jobs ADD COLUMN pname TEXT",
           "ALTER TABLE jobs ADD COLUMN version TEXT",
           "ALTER TABLE jobs ADD COLUMN license_json TEXT",
           "ALTER TABLE jobs ADD COLUMN maintainers_json TEXT",
           "ALTER TABLE jobs ADD COLUMN tests_json TEXT",
           "ALTER TABLE jobs ADD COLUMN system TEXT",
       }},
      {3,
       "builds: jobsets handed to the scheduler, their root derivations, cached failures",
       {
           R"(CREATE TABLE jobset_builds (
                jobset_id INTEGER PRIMARY KEY REFERENCES jobsets(id) ON DELETE CASCADE,
                state TEXT NOT NULL CHECK (state IN ('building', 'succeeded', 'failed', 'cancelled')),
                rebuild_count INTEGER NOT NULL DEFAULT 0,
                supersede_key TEXT NOT NULL DEFAULT '',
                submitted_at INTEGER NOT NULL,
                concluded_at INTEGER))",
           "CREATE INDEX jobset_builds_by_state ON jobset_builds (state, submitted_at)",
           R"(CREATE TABLE jobset_roots (
                jobset_id INTEGER NOT NULL REFERENCES jobsets(id) ON DELETE CASCADE,
                drv_id INTEGER NOT NULL REFERENCES drvs(id) ON DELETE CASCADE,
                counts INTEGER NOT NULL DEFAULT 1,
                PRIMARY KEY (jobset_id, drv_id)) WITHOUT ROWID)",
           "ALTER TABLE drvs ADD COLUMN failure_expires_at INTEGER NOT NULL DEFAULT 0",
           "CREATE INDEX drvs_by_build_state ON drvs (build_state)",
       }},
      {4,
       "metadata that failed to evaluate while the derivation did (warnings on the job)",
       {
           "ALTER TABLE jobs ADD COLUMN meta_warnings_json TEXT",
       }},
  };
}

}  // namespace

const std::vector<Migration>& Migrations::sqlite() {
  static const std::vector<Migration> kMigrations = makeSqliteMigrations();  // immutable
  return kMigrations;
}

int Migrations::latestVersion() { return sqlite().empty() ? 0 : sqlite().back().version; }

}  // namespace ekaci::storage
