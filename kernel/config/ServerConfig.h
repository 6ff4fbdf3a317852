#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Secret.h"
#include "ekaci/sdk/SourceLocation.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::config {

struct PermissionsConfig {
  bool allowAll = true;
  std::vector<std::string> allowedRepos;
  std::vector<std::string> allowedBranches;
};

// A [[caches]] block: the kernel reads id, cache_type and permissions; every other key
// (destination, credentials, the type's own settings) is the cache plugin's, validated by
// its declared settings.
struct CacheConfig {
  std::string id;
  std::string cacheType;
  sdk::Value settings;  // the block without id, cache_type and permissions
  PermissionsConfig permissions;
  sdk::SourceLocation location;
};

// A forge instance: a [[forges]] block, or one that Eka CI's [[github_apps]],
// [[gitea_instances]], [[gitlab_instances]] or their environment variables describe
// (ForgeBlocks). Its settings are the plugin's, validated by the plugin's schema only.
struct ForgeInstanceConfig {
  std::string id;
  std::string type;
  sdk::Value settings;  // the block without id and type
  sdk::SourceLocation location;
  std::string origin;  // where it was written, for messages: "forges[0]", "gitea_instances[1]"
  // Non-empty when the instance gathers every table of its block ("github_apps") into this
  // list setting ("apps"): messages then name the tables as the block's entries.
  std::string gathered;
};

struct WebConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 3030;
  std::vector<std::string> allowedOrigins;
  std::optional<std::filesystem::path> bundlePath;
  std::int64_t maxConnectionsPerAddress = 32;
  std::int64_t maxConnections = 1024;
  std::int64_t requestTimeoutSeconds = 10;
  std::string publicUrl;  // empty: http://address:port of the bound listener
};

struct OAuthConfig {
  std::optional<std::string> clientId;
  std::optional<sdk::Secret> clientSecret;
  std::optional<std::string> redirectUrl;
  std::optional<sdk::Secret> jwtSecret;
};

struct SecurityConfig {
  std::int64_t maxHookTimeoutSeconds = 300;
  bool auditHooks = true;
  std::optional<sdk::Secret> webhookSecret;
  bool allowInsecureWebhooks = false;
  bool allowPrivateCacheHosts = false;
  std::vector<std::string> allowedHookCommands;
};

struct BuildersConfig {
  std::int64_t maxJobs = 0;  // 0: one per CPU core
  std::int64_t fixedOutputMaxJobs = 4;
  std::int64_t batchSize = 8;
  std::vector<std::string> systems;
  std::vector<std::string> features;
  std::optional<std::filesystem::path> machinesFile;
  std::int64_t healthCheckIntervalSeconds = 60;
  std::int64_t failureCacheSeconds = 86400;
  std::int64_t shutdownGraceSeconds = 30;
  std::vector<std::string> nixOptions;       // NAME=VALUE
  std::vector<std::string> passEnvironment;  // server variables Nix may see beyond the built-in list
  std::int64_t maxLogSizeMiB = 64;
  bool allowUnsandboxedBuilds = false;
};

struct RebuildConfig {
  std::int64_t maxRebuildCount = 20000;
  std::vector<std::string> skipPaths;
};

// The validated server configuration. Move-only: it holds secrets.
struct ServerConfig {
  std::filesystem::path sourceFile;  // empty when no file was read (all defaults)
  WebConfig web;
  std::filesystem::path dbPath;
  std::filesystem::path logsDir;
  std::filesystem::path socketPath;
  std::filesystem::path stateDir;
  std::int64_t buildNoOutputTimeoutSeconds = 1200;
  std::int64_t buildMaxDurationSeconds = 14400;
  std::int64_t graphLruCapacity = 100000;
  BuildersConfig builders;
  bool requireApproval = false;
  bool mergeQueueRequireApproval = false;
  std::int64_t changeSummaryDebounceSeconds = 300;
  std::string defaultMergeMethod = "squash";
  std::string botMention = "eka-ci";
  std::vector<std::string> pluginPaths;
  std::vector<std::string> optionalPluginPaths;
  OAuthConfig oauth;
  SecurityConfig security;
  std::vector<CacheConfig> caches;
  std::vector<ForgeInstanceConfig> forges;
  RebuildConfig rebuild;
  std::int64_t evaluationWorkers = 2;
  std::int64_t evaluationMaxMemoryMiB = 4096;
  std::int64_t maxJobsPerConfig = 32;
  sdk::Value evaluators;  // table: evaluator type -> settings (validated by the plugin's schema)
  // Accepted but worth fixing (for example a top-level key written inside [web]); the
  // server logs them at start-up and --check-config prints them.
  std::vector<std::string> warnings;
};

}  // namespace ekaci::config
