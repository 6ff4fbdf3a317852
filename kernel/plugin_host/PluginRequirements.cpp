#include "kernel/plugin_host/PluginRequirements.h"

#include <algorithm>

#include "kernel/config/CredentialTags.h"
#include "kernel/config/DestinationGuard.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerSchema.h"
#include "kernel/config/SettingsValidator.h"
#include "kernel/config/Suggestion.h"

namespace ekaci::plugin_host {
namespace {

// The manual's cache types: named when their plugin is missing, suggested when misspelt.
const std::vector<std::string>& documentedCacheTypes() {
  static const std::vector<std::string> kTypes = {"nix-copy", "cachix", "attic"};
  return kTypes;
}

std::string listOf(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

void requireForge(const std::string& type, const std::string& why, const sdk::SourceLocation& where,
                  const std::string& key, const PluginRegistry& registry, config::Diagnostics& out) {
  if (registry.forge(type) != nullptr) return;
  out.add(sdk::ErrorCode::ConfigPluginUnavailable, where, key,
          why + " needs the '" + type + "' forge plugin, which is not loaded (loaded forge plugins: " +
              listOf(registry.types(sdk::PluginKind::Forge)) + ")");
}

void checkCredentials(const sdk::Value& block, const std::string& key, const PluginRegistry& registry,
                      config::Diagnostics& out) {
  if (block.isNull()) return;
  std::string tag = block.isString() ? block.asString() : (block.size() == 1 ? block.keys().front() : "");
  if (tag == "none") return;  // built in: no secrets, no plugin
  const auto* documented = config::CredentialTags::find(tag);
  const std::string type = documented != nullptr ? documented->canonical : tag;
  const sdk::CredentialSourceFactory* factory = registry.credentialSource(type);
  if (factory == nullptr) {
    out.add(sdk::ErrorCode::ConfigPluginUnavailable, block.location(), key,
            "credential source '" + tag + "' is not available: no loaded plugin provides it (available: " +
                listOf(registry.types(sdk::PluginKind::CredentialSource)) + ")");
    return;
  }
  if (!block.isTable()) return;
  sdk::Value settings = block.items().front();
  config::Environment none;
  config::SettingsValidator(none, out).validateTable(factory->settings(), settings, key + "." + tag);
}

}  // namespace

config::Diagnostics PluginRequirements::check(const config::ServerConfig& config, const PluginRegistry& registry) {
  config::Diagnostics out;
  for (std::size_t i = 0; i < config.forges.size(); ++i) {
    const auto& forge = config.forges[i];
    const std::string key = "forges[" + std::to_string(i) + "]";
    const sdk::ForgeFactory* factory = registry.forge(forge.type);
    if (factory == nullptr) {
      auto known = registry.types(sdk::PluginKind::Forge);
      for (const auto& t : config::ServerSchema::documentedForgeTypes()) {
        if (std::find(known.begin(), known.end(), t) == known.end()) known.push_back(t);
      }
      const bool documented = std::find(config::ServerSchema::documentedForgeTypes().begin(),
                                        config::ServerSchema::documentedForgeTypes().end(),
                                        forge.type) != config::ServerSchema::documentedForgeTypes().end();
      if (documented) {
        requireForge(forge.type, "forge '" + forge.id + "'", forge.location, key + ".type", registry, out);
      } else {
        out.add(sdk::ErrorCode::ConfigUnknownPluginType, forge.location, key + ".type",
                "unknown forge type '" + forge.type + "'" + config::Suggestion::hint(forge.type, known));
      }
      continue;
    }
    sdk::Value settings = forge.settings;
    config::Environment none;
    config::SettingsValidator(none, out).validateTable(factory->settings(), settings, key);
  }
  for (std::size_t i = 0; i < config.githubApps.size(); ++i) {
    const auto& app = config.githubApps[i];
    const std::string key = "github_apps[" + std::to_string(i) + "]";
    requireForge("github", "GitHub App '" + app.id + "'", app.location, key, registry, out);
    checkCredentials(app.credentials, key + ".credentials", registry, out);
  }
  for (const auto* list : {&config.giteaInstances, &config.gitlabInstances}) {
    const std::string type = list == &config.giteaInstances ? "gitea" : "gitlab";
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto& instance = (*list)[i];
      const std::string key = type + "_instances[" + std::to_string(i) + "]";
      requireForge(type, key + " (" + instance.domain + ")", instance.location, key, registry, out);
      if (!instance.credentials.isNull()) checkCredentials(instance.credentials, key + ".credentials", registry, out);
    }
  }
  for (std::size_t i = 0; i < config.evaluators.size(); ++i) {
    const std::string& type = config.evaluators.keys()[i];
    const sdk::Value& block = config.evaluators.items()[i];
    const std::string key = "evaluators." + type;
    const sdk::EvaluatorFactory* factory = registry.evaluator(type);
    if (factory == nullptr) {
      out.add(sdk::ErrorCode::ConfigUnknownPluginType, block.location(), key,
              "unknown evaluator type '" + type + "'" +
                  config::Suggestion::hint(type, registry.types(sdk::PluginKind::Evaluator)));
      continue;
    }
    if (!block.isTable()) {
      out.add(sdk::ErrorCode::ConfigWrongType, block.location(), key, "expected a table of evaluator settings");
      continue;
    }
    sdk::Value settings = block;
    config::Environment none;
    config::SettingsValidator(none, out).validateTable(factory->settings(), settings, key);
  }
  for (std::size_t i = 0; i < config.caches.size(); ++i) {
    const auto& cache = config.caches[i];
    const std::string key = "caches[" + std::to_string(i) + "]";
    const sdk::CacheFactory* factory = registry.cache(cache.cacheType);
    if (factory == nullptr) {
      auto known = registry.types(sdk::PluginKind::Cache);
      const auto& documented = documentedCacheTypes();
      if (std::find(documented.begin(), documented.end(), cache.cacheType) != documented.end()) {
        out.add(sdk::ErrorCode::ConfigPluginUnavailable, cache.location, key + ".cache_type",
                "cache '" + cache.id + "' needs the '" + cache.cacheType +
                    "' cache plugin, which is not loaded (loaded cache plugins: " +
                    listOf(registry.types(sdk::PluginKind::Cache)) + ")");
      } else {
        for (const auto& t : documented) {
          if (std::find(known.begin(), known.end(), t) == known.end()) known.push_back(t);
        }
        out.add(sdk::ErrorCode::ConfigUnknownPluginType, cache.location, key + ".cache_type",
                "unknown cache type '" + cache.cacheType + "'" + config::Suggestion::hint(cache.cacheType, known));
      }
    } else {
      sdk::Value settings = cache.settings;
      config::Environment none;
      config::SettingsValidator(none, out).validateTable(factory->settings(), settings, key);
    }
    if (const sdk::Value* credentials = cache.settings.find("credentials")) {
      checkCredentials(*credentials, key + ".credentials", registry, out);
    }
    const sdk::Value* destination = cache.settings.find("destination");
    if (!config.security.allowPrivateCacheHosts) {
      const std::string address = destination != nullptr && destination->isString() ? destination->asString() : "";
      if (auto why = config::DestinationGuard::refusal(address); !why.empty()) {
        out.add(sdk::ErrorCode::CacheUnavailable, cache.location, key + ".destination",
                "cache '" + cache.id + "': " + why +
                    "; pushes there are refused unless security.allow_private_cache_hosts is set");
      }
    }
  }
  return out;
}

}  // namespace ekaci::plugin_host
