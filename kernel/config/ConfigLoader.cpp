#include "kernel/config/ConfigLoader.h"

#include <unistd.h>

#include <set>

#include "kernel/config/Diagnostics.h"
#include "kernel/config/ForgeBlocks.h"
#include "kernel/config/ServerSchema.h"
#include "kernel/config/SettingsValidator.h"
#include "kernel/config/TomlReader.h"

namespace ekaci::config {
namespace {

std::optional<std::string> optionalString(const sdk::Value& table, std::string_view key) {
  const sdk::Value* v = table.find(key);
  if (v == nullptr || !v->isString()) return std::nullopt;
  return v->asString();
}

std::optional<sdk::Secret> optionalSecret(const sdk::Value& table, std::string_view key) {
  auto text = optionalString(table, key);
  if (!text || text->empty()) return std::nullopt;
  return sdk::Secret(std::move(*text));
}

const sdk::Value& sub(const sdk::Value& table, std::string_view key) {
  static const sdk::Value kEmpty = sdk::Value::table();  // immutable
  const sdk::Value* v = table.find(key);
  return v != nullptr ? *v : kEmpty;
}

PermissionsConfig permissionsOf(const sdk::Value& block) {
  const sdk::Value& p = sub(block, "permissions");
  PermissionsConfig out;
  if (const sdk::Value* allowAll = p.find("allow_all")) out.allowAll = allowAll->asBool();
  out.allowedRepos = sub(p, "allowed_repos").asStringList();
  out.allowedBranches = sub(p, "allowed_branches").asStringList();
  return out;
}

void checkUniqueIds(const sdk::Value& list, const std::string& section, Diagnostics& diagnostics) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < list.items().size(); ++i) {
    const sdk::Value* id = list.items()[i].find("id");
    if (id == nullptr || !id->isString()) continue;
    if (!seen.insert(id->asString()).second) {
      diagnostics.add(sdk::ErrorCode::ConfigDuplicateId, id->location(), section + "[" + std::to_string(i) + "].id",
                      "id '" + id->asString() + "' is used by another [[" + section + "]] block");
    }
  }
}

}  // namespace

sdk::Result<std::pair<std::vector<std::string>, std::vector<std::string>>> ConfigLoader::peekPluginPaths(
    const std::filesystem::path& file) {
  auto root = TomlReader::readFile(file);
  if (!root) return std::move(root).error();
  auto list = [&](const char* key) {
    std::vector<std::string> out;
    if (const sdk::Value* v = root->find(key); v != nullptr && v->isArray()) {
      for (const auto& item : v->items()) {
        if (item.isString()) out.push_back(item.asString());
      }
    }
    return out;
  };
  return std::make_pair(list("plugin_paths"), list("optional_plugin_paths"));
}

std::filesystem::path ConfigLoader::defaultPath() const {
  if (auto explicitFile = environment_.nonEmpty("EKA_CI_CONFIG_FILE")) return *explicitFile;
  std::filesystem::path base;
  if (auto xdg = environment_.nonEmpty("XDG_CONFIG_HOME")) {
    base = *xdg;
  } else {
    base = std::filesystem::path(environment_.nonEmpty("HOME").value_or("/")) / ".config";
  }
  return base / "ekaci" / "ekaci.toml";
}

std::filesystem::path ConfigLoader::defaultSocketPath(const std::filesystem::path& stateDir) const {
  if (auto runtime = environment_.nonEmpty("XDG_RUNTIME_DIR")) return std::filesystem::path(*runtime) / "ekaci.sock";
  return stateDir / "ekaci.sock";
}

std::filesystem::path ConfigLoader::socketPathFor(const std::optional<std::filesystem::path>& explicitPath) const {
  const std::filesystem::path file = explicitPath.value_or(defaultPath());
  std::error_code ec;
  std::filesystem::path stateDir = dataHome();
  if (std::filesystem::exists(file, ec)) {
    if (auto root = TomlReader::readFile(file)) {
      if (const sdk::Value* v = root->find("socket_path"); v != nullptr && v->isString()) return v->asString();
      if (const sdk::Value* v = root->findPath("unix.socket_path"); v != nullptr && v->isString()) return v->asString();
      if (const sdk::Value* v = root->find("state_dir"); v != nullptr && v->isString()) stateDir = v->asString();
    }
  }
  return defaultSocketPath(stateDir);
}

std::filesystem::path ConfigLoader::dataHome() const {
  if (auto xdg = environment_.nonEmpty("XDG_DATA_HOME")) return std::filesystem::path(*xdg) / "ekaci";
  return std::filesystem::path(environment_.nonEmpty("HOME").value_or("/")) / ".local" / "share" / "ekaci";
}

sdk::Result<ServerConfig> ConfigLoader::load(const std::optional<std::filesystem::path>& explicitPath) const {
  std::filesystem::path path = explicitPath ? *explicitPath : defaultPath();
  std::error_code ec;
  if (!explicitPath && !environment_.nonEmpty("EKA_CI_CONFIG_FILE") && !std::filesystem::exists(path, ec)) {
    sdk::Value empty = sdk::Value::table();
    empty.setLocation(sdk::SourceLocation{"(defaults)", 0, 0});
    return build(std::move(empty), {});
  }
  auto root = TomlReader::readFile(path);
  if (!root) return std::move(root).error();
  return build(std::move(root).value(), path);
}

sdk::Result<ServerConfig> ConfigLoader::loadText(const std::string& text, const std::string& sourceName) const {
  auto root = TomlReader::parse(text, sourceName);
  if (!root) return std::move(root).error();
  return build(std::move(root).value(), sourceName);
}

namespace {
// The manual's own full example writes db_path, logs_dir and the build settings after
// [web], which in TOML puts them inside [web]. Such a key is a top-level setting written in
// a section that does not have it: move it to the top level, and say so.
std::vector<std::string> hoistMisplacedTopLevelKeys(sdk::Value& root, const sdk::SettingsSchema& schema) {
  std::vector<std::string> warnings;
  auto topLevelScalar = [&](const std::string& key) {
    for (const auto& s : schema) {
      if (s.name == key) return s.type != sdk::SettingType::Table && s.type != sdk::SettingType::TableList;
    }
    return false;
  };
  for (const auto& section : schema) {
    if (section.type != sdk::SettingType::Table) continue;
    sdk::Value* table = root.find(section.name);
    if (table == nullptr || !table->isTable()) continue;
    std::vector<std::string> moving;
    for (const auto& key : table->keys()) {
      bool inSection = false;
      for (const auto& child : section.children) inSection = inSection || child.name == key;
      if (!inSection && topLevelScalar(key) && root.find(key) == nullptr) moving.push_back(key);
    }
    std::vector<std::pair<std::string, sdk::Value>> hoisted;
    for (const auto& key : moving) {
      hoisted.emplace_back(key, *table->find(key));
      table->erase(key);
    }
    // `table` points into `root`; it is not used once root grows below.
    for (auto& [key, value] : hoisted) {
      warnings.push_back(value.location().describe() + ": '" + key + "' is written inside [" + section.name +
                         "] but is a top-level setting; it was applied as top-level " + key +
                         ". Move it above the first [section] header.");
      root.set(key, std::move(value));
    }
  }
  return warnings;
}
}  // namespace

sdk::Result<ServerConfig> ConfigLoader::build(sdk::Value root, std::filesystem::path source) const {
  const auto schema = ServerSchema::settings();
  std::vector<std::string> warnings = hoistMisplacedTopLevelKeys(root, schema);
  Diagnostics diagnostics;
  SettingsValidator validator(environment_, diagnostics);
  validator.allowCredentialSources(pluginCredentialSources_);
  validator.validateTable(schema, root, "");
  checkUniqueIds(sub(root, "caches"), "caches", diagnostics);
  checkUniqueIds(sub(root, "forges"), "forges", diagnostics);
  if (!diagnostics.ok()) return diagnostics.toError();

  ServerConfig config;
  config.sourceFile = std::move(source);
  config.warnings = std::move(warnings);
  const sdk::Value& web = sub(root, "web");
  config.web.address = optionalString(web, "address").value_or("127.0.0.1");
  config.web.port = static_cast<std::uint16_t>(sub(web, "port").asInteger());
  config.web.allowedOrigins = sub(web, "allowed_origins").asStringList();
  if (auto bundle = optionalString(web, "bundle_path")) config.web.bundlePath = *bundle;
  config.web.maxConnectionsPerAddress = sub(web, "max_connections_per_address").asInteger();
  config.web.maxConnections = sub(web, "max_connections").asInteger();
  config.web.requestTimeoutSeconds = sub(web, "request_timeout_seconds").asInteger();
  config.web.publicUrl = sub(web, "public_url").asString();
  while (!config.web.publicUrl.empty() && config.web.publicUrl.back() == '/') config.web.publicUrl.pop_back();

  const std::filesystem::path data = dataHome();
  config.stateDir = optionalString(root, "state_dir").value_or(data.string());
  config.dbPath = optionalString(root, "db_path").value_or((data / "sqlite.db").string());
  config.logsDir = optionalString(root, "logs_dir").value_or((data / "build-logs").string());
  if (auto socket = optionalString(root, "socket_path")) {
    config.socketPath = *socket;
  } else if (auto unixSocket = optionalString(sub(root, "unix"), "socket_path")) {
    config.socketPath = *unixSocket;
  } else {
    config.socketPath = defaultSocketPath(config.stateDir);
  }

  config.buildNoOutputTimeoutSeconds = sub(root, "build_no_output_timeout_seconds").asInteger();
  config.buildMaxDurationSeconds = sub(root, "build_max_duration_seconds").asInteger();
  config.graphLruCapacity = sub(root, "graph_lru_capacity").asInteger();
  const sdk::Value& builders = sub(root, "builders");
  config.builders.maxJobs = sub(builders, "max_jobs").asInteger();
  config.builders.fixedOutputMaxJobs = sub(builders, "fixed_output_max_jobs").asInteger();
  config.builders.batchSize = sub(builders, "batch_size").asInteger();
  config.builders.systems = sub(builders, "systems").asStringList();
  config.builders.features = sub(builders, "features").asStringList();
  if (auto machines = optionalString(builders, "machines_file")) config.builders.machinesFile = *machines;
  config.builders.healthCheckIntervalSeconds = sub(builders, "health_check_interval_seconds").asInteger();
  config.builders.failureCacheSeconds = sub(builders, "failure_cache_seconds").asInteger();
  config.builders.shutdownGraceSeconds = sub(builders, "shutdown_grace_seconds").asInteger();
  config.builders.nixOptions = sub(builders, "nix_options").asStringList();
  config.builders.passEnvironment = sub(builders, "pass_environment").asStringList();
  config.builders.maxLogSizeMiB = sub(builders, "max_log_size_mib").asInteger();
  config.builders.allowUnsandboxedBuilds = sub(builders, "allow_unsandboxed_builds").asBool();
  config.requireApproval = sub(root, "require_approval").asBool();
  config.changeSummaryDebounceSeconds = sub(root, "change_summary_debounce_seconds").asInteger();
  config.mergeQueueRequireApproval = sub(root, "merge_queue_require_approval").asBool();
  config.defaultMergeMethod = sub(root, "default_merge_method").asString();
  config.botMention = sub(root, "bot_mention").asString();
  if (!config.botMention.empty() && config.botMention.front() == '@') config.botMention.erase(0, 1);
  if (config.botMention.empty() ||
      config.botMention.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_[]") !=
          std::string::npos) {
    return sdk::Error(sdk::ErrorCode::ConfigInvalidValue,
                      "bot_mention must be a user name (letters, digits, '-', '_'), got '" + config.botMention + "'");
  }
  config.pluginPaths = sub(root, "plugin_paths").asStringList();
  config.optionalPluginPaths = sub(root, "optional_plugin_paths").asStringList();

  const sdk::Value& oauth = sub(root, "oauth");
  config.oauth.clientId = optionalString(oauth, "client_id");
  config.oauth.clientSecret = optionalSecret(oauth, "client_secret");
  config.oauth.redirectUrl = optionalString(oauth, "redirect_url");
  if (!config.oauth.redirectUrl) {
    // The manual's documented default, derived from [web].
    config.oauth.redirectUrl =
        "http://" + config.web.address + ":" + std::to_string(config.web.port) + "/github/auth/callback";
  }
  config.oauth.jwtSecret = optionalSecret(oauth, "jwt_secret");

  const sdk::Value& security = sub(root, "security");
  config.security.maxHookTimeoutSeconds = sub(security, "max_hook_timeout_seconds").asInteger();
  config.security.auditHooks = sub(security, "audit_hooks").asBool();
  config.security.webhookSecret = optionalSecret(security, "webhook_secret");
  config.security.allowInsecureWebhooks = sub(security, "allow_insecure_webhooks").asBool();
  config.security.allowPrivateCacheHosts = sub(security, "allow_private_cache_hosts").asBool();
  config.security.allowedHookCommands = sub(security, "allowed_hook_commands").asStringList();

  for (const auto& block : sub(root, "caches").items()) {
    CacheConfig cache;
    cache.id = sub(block, "id").asString();
    cache.cacheType = sub(block, "cache_type").asString();
    cache.settings = sdk::Value::table();
    for (std::size_t i = 0; i < block.size(); ++i) {
      const std::string& key = block.keys()[i];
      if (key != "id" && key != "cache_type" && key != "permissions") cache.settings.set(key, block.items()[i]);
    }
    cache.permissions = permissionsOf(block);
    cache.location = block.location();
    config.caches.push_back(std::move(cache));
  }
  for (const auto& block : sub(root, "forges").items()) {
    ForgeInstanceConfig forge;
    forge.id = sub(block, "id").asString();
    forge.type = sub(block, "type").asString();
    forge.settings = block;
    forge.settings.erase("id");
    forge.settings.erase("type");
    forge.location = block.location();
    forge.origin = "forges[" + std::to_string(config.forges.size()) + "]";
    config.forges.push_back(std::move(forge));
  }
  {
    Diagnostics translation;
    for (auto& forge : ForgeBlocks::translate(root, environment_, translation))
      config.forges.push_back(std::move(forge));
    std::set<std::string> ids;
    for (const auto& forge : config.forges) {
      if (!ids.insert(forge.id).second) {
        translation.add(sdk::ErrorCode::ConfigDuplicateId, forge.location, forge.origin,
                        "forge instance id '" + forge.id + "' is used twice (instances of [[forges]], " +
                            "[[github_apps]], [[gitea_instances]] and [[gitlab_instances]] share one set of ids)");
      }
    }
    if (!translation.ok()) return translation.toError();
  }
  config.evaluationWorkers = sub(root, "evaluation_workers").asInteger();
  config.evaluationMaxMemoryMiB = sub(root, "evaluation_max_memory_mib").asInteger();
  config.maxJobsPerConfig = sub(root, "max_jobs_per_config").asInteger();
  config.evaluators = sub(root, "evaluators");
  const sdk::Value& rebuild = sub(root, "rebuild");
  config.rebuild.maxRebuildCount = sub(rebuild, "max_rebuild_count").asInteger();
  config.rebuild.skipPaths = sub(rebuild, "skip_paths").asStringList();
  return config;
}

}  // namespace ekaci::config
