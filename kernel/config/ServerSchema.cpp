#include "kernel/config/ServerSchema.h"

namespace ekaci::config {
namespace {
using namespace sdk::settings;

sdk::Setting permissionsBlock(const std::string& what) {
  return table("permissions",
               {boolean("allow_all", true, "When true, allowed_repos and allowed_branches are ignored."),
                stringList("allowed_repos", "Glob patterns of owner/repo that may use this " + what + "."),
                stringList("allowed_branches", "Glob patterns of branches that may use this " + what + ".")},
               "Repository and branch access control.");
}

sdk::Setting withEnv(sdk::Setting s, std::string env) {
  s.envOverride = std::move(env);
  return s;
}

sdk::Setting nullablePath(std::string name, std::string doc) {
  sdk::Setting s = string(std::move(name), std::nullopt, std::move(doc));
  s.minimum = 1;  // a path is absent (the default) or not empty
  return s;
}

// One of Eka CI's spellings of forge instances (ForgeBlocks translates it): the kernel
// declares only that it is a list of tables; their keys are the forge plugin's settings.
sdk::Setting forgeBlock(const std::string& name, const std::string& type, const std::string& doc) {
  sdk::Setting s = tableList(
      name, {}, doc + " Settings: those of the '" + type + "' forge plugin (ekaci plugins describe " + type + ").");
  s.openTable = true;
  return s;
}

}  // namespace

sdk::SettingsSchema ServerSchema::settings() {
  sdk::Setting forgeType = requiredString("type", "Forge plugin type: github, gitea, gitlab or a plugin's own type.");
  sdk::Setting forges =
      tableList("forges", {requiredString("id", "Instance id, referenced by repositories and logs."), forgeType},
                "Forge instances served by forge plugins; other keys are the plugin's settings.");
  forges.openTable = true;

  sdk::Setting caches =
      tableList("caches",
                {requiredString("id", "Cache id referenced from .ekaci/config.json."),
                 requiredString("cache_type",
                                "Cache plugin type: nix-copy, cachix, attic or a plugin's own type; the other keys "
                                "(destination, credentials, ...) are that plugin's settings (ekaci plugins describe "
                                "TYPE)."),
                 permissionsBlock("cache")},
                "Binary caches the server may push to, each served by a cache plugin.");
  caches.openTable = true;

  return {
      table("web",
            {string("address", "127.0.0.1", "IPv4 address the HTTP server binds to."),
             integer("port", 3030, 0, 65535, "TCP port the HTTP server binds to (0: any free port)."),
             stringList("allowed_origins", "CORS allow-list of http:// or https:// origins."),
             nullablePath("bundle_path", "Optional path to a pre-built web UI bundle."),
             integer("max_connections_per_address", 32, 1, 65536,
                     "Connections one client address may hold at once (raise it behind a reverse proxy)."),
             integer("max_connections", 1024, 1, 65536, "Connections the HTTP server holds at once."),
             integer("request_timeout_seconds", 10, 1, 3600,
                     "A request's head must arrive within this (its body within three times it); idle keep-alive "
                     "connections close after it too."),
             string("public_url", std::nullopt,
                    "The server's address as users reach it (https://ci.example.org), for the details links of "
                    "reports. Default: http://<address>:<port>.")},
            "HTTP API, webhooks and /metrics."),
      table("unix", {nullablePath("socket_path", "Unix socket for the ekaci CLI (same as top-level socket_path).")},
            "Unix-domain-socket settings used by the CLI client."),
      nullablePath("db_path", "SQLite database. Default: $XDG_DATA_HOME/ekaci/sqlite.db."),
      nullablePath("logs_dir", "Build logs. Default: $XDG_DATA_HOME/ekaci/build-logs."),
      nullablePath("socket_path", "Unix socket for the ekaci CLI. Default: $XDG_RUNTIME_DIR/ekaci.sock."),
      nullablePath("state_dir", "Checkouts and plugin state. Default: $XDG_DATA_HOME/ekaci."),
      integer("build_no_output_timeout_seconds", 1200, 30, 86400,
              "A build printing nothing for this long is considered hung and killed."),
      integer("build_max_duration_seconds", 14400, 60, 604800, "Hard upper bound on one build's wall-clock time."),
      table(
          "builders",
          {integer("max_jobs", 0, 0, 4096, "Builds run at once on this machine (0: one per CPU core)."),
           integer("batch_size", 8, 1, 1024,
                   "Buildable derivations one local build slot takes in one nix-store run (saves a Nix start-up "
                   "per derivation; 1: one run per derivation)."),
           integer("fixed_output_max_jobs", 4, 0, 4096,
                   "Separate capacity on this machine for fixed-output derivations (downloads)."),
           stringList("systems", "Systems this machine builds. Default: its own system."),
           stringList("features", "System features this machine supports, e.g. big-parallel, kvm."),
           nullablePath("machines_file",
                        "Remote builders in /etc/nix/machines format (URI, systems, ssh key, max jobs, speed factor, "
                        "features, mandatory features, host key)."),
           integer("health_check_interval_seconds", 60, 5, 86400,
                   "How often remote builders are checked with nix store ping."),
           integer("failure_cache_seconds", 86400, 0, 31536000,
                   "A permanent build failure is not built again for this long (0: always rebuild; ekaci build "
                   "--rebuild forgets it sooner)."),
           integer("shutdown_grace_seconds", 30, 0, 86400,
                   "On SIGTERM, running builds get this long to finish before they are stopped and re-queued."),
           stringList("nix_options", "Extra Nix settings for builds, as NAME=VALUE (e.g. substituters=...)."),
           integer("max_log_size_mib", 64, 1, 65536,
                   "Largest build log kept (Nix's max-log-size too): past it the start is dropped and the tail kept."),
           stringList("pass_environment",
                      "Server environment variables Nix may see besides PATH, HOME, TMPDIR, TZ, the locale and "
                      "Nix's own (NIX_REMOTE, NIX_CONF_DIR, ...); fixed-output builders can read what is listed."),
           boolean("allow_unsandboxed_builds", false,
                   "Build even when Nix's sandbox or build users are off (pull-request code then runs with the "
                   "server's privileges; logged as a warning at every build).")},
          "Where and how derivations are built."),
      withEnv(integer("graph_lru_capacity", 100000, 1, 1'000'000'000,
                      "Capacity of the in-memory derivation graphs, in nodes: past it, finished derivations no "
                      "open jobset needs leave the build graph (reloaded from the database when needed again) "
                      "and a review's graph is cut."),
              "EKA_CI_GRAPH_LRU_CAPACITY"),
      withEnv(boolean("require_approval", false, "Require maintainer approval before building external PRs."),
              "EKA_CI_REQUIRE_APPROVAL"),
      boolean("merge_queue_require_approval", false, "Require approval before building merge-queue entries."),
      integer("change_summary_debounce_seconds", 300, 0, 86400,
              "The change summary of a head is published this long after its last jobset concluded, so every "
              "jobset contributes to one render."),
      choice("default_merge_method", {"merge", "squash", "rebase"}, "squash",
             "Merge method of the @eka-ci merge comment command."),
      string("bot_mention", "eka-ci",
             "The name comment commands mention, without '@' (\"@eka-ci merge\"); usually the GitHub App's slug."),
      integer("evaluation_workers", 2, 1, 256, "Evaluator worker processes per evaluation."),
      integer("evaluation_max_memory_mib", 4096, 64, 1048576, "Resident memory limit of one evaluator worker."),
      integer(
          "max_jobs_per_config", 32, 1, 10000,
          "Jobs a repository's config may declare (each one evaluates base and head); a config with more is refused."),
      [] {
        sdk::Setting s =
            table("evaluators", {}, "Settings per evaluator type, e.g. [evaluators.legacy] nix_path = [...].");
        s.openTable = true;
        return s;
      }(),
      stringList("plugin_paths", "Extra plugin files or directories (*.so) to load; a failure stops start-up."),
      stringList("optional_plugin_paths", "Plugin files or directories whose load failures are logged and skipped."),
      table("oauth",
            {withEnv(string("client_id", std::nullopt, "GitHub OAuth client id."), "GITHUB_OAUTH_CLIENT_ID"),
             secretString("client_secret", "GITHUB_OAUTH_CLIENT_SECRET", "GitHub OAuth client secret."),
             withEnv(string("redirect_url", std::nullopt, "OAuth callback URL."), "GITHUB_OAUTH_REDIRECT_URL"),
             secretString("jwt_secret", "JWT_SECRET", "JWT signing secret; random per start when unset.")},
            "OAuth settings for the web UI."),
      table("security",
            {integer("max_hook_timeout_seconds", 300, 1, 86400, "Wall-clock cap of any post-build hook."),
             boolean("audit_hooks", true, "Emit an audit log record every time a hook runs."),
             secretString("webhook_secret", "WEBHOOK_SECRET,GITHUB_WEBHOOK_SECRET",
                          "Webhook HMAC secret for all forges."),
             withEnv(boolean("allow_insecure_webhooks", false, "Start without a webhook secret (development only)."),
                     "EKACI_ALLOW_INSECURE_WEBHOOKS"),
             withEnv(boolean("allow_private_cache_hosts", false,
                             "Allow cache destinations on private or loopback addresses."),
                     "EKACI_ALLOW_PRIVATE_CACHE_HOSTS"),
             stringList("allowed_hook_commands",
                        "Programs that repository post-build hooks may run (matched against the command's first "
                        "word, which may not contain '/'); empty: repository hooks are refused.")},
            "Security-related settings."),
      caches,
      forgeBlock("github_apps", "github",
                 "GitHub Apps the server authenticates as, all served by one 'github' instance (its setting "
                 "'apps'); without the block, one app from GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY."),
      forgeBlock("gitea_instances", "gitea",
                 "Gitea and Forgejo instances (one also from GITEA_TOKEN + GITEA_DOMAIN); webhooks at /gitea/webhook."),
      forgeBlock("gitlab_instances", "gitlab",
                 "GitLab instances (one also from GITLAB_TOKEN + GITLAB_DOMAIN); webhooks at /gitlab/webhook."),
      forges,
      table("rebuild",
            {integer("max_rebuild_count", 20000, 0, 100'000'000,
                     "Above this many rebuilds a PR is 'wide' and per-package builds are skipped."),
             stringList("skip_paths", "Globs: PRs touching only these paths skip rebuild evaluation.")},
            "Rebuild detection."),
  };
}

}  // namespace ekaci::config
