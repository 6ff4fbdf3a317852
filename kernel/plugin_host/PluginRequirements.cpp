#include "kernel/plugin_host/PluginRequirements.h"

#include <algorithm>

#include "kernel/config/CredentialTags.h"
#include "kernel/config/DestinationGuard.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ForgeBlocks.h"
#include "kernel/config/SettingsValidator.h"
#include "kernel/config/Suggestion.h"

namespace ekaci::plugin_host {
namespace {

// The manual's cache types: named when their plugin is missing, suggested when misspelt.
const std::vector<std::string>& documentedCacheTypes() {
  static const std::vector<std::string> kTypes = {"nix-copy", "cachix", "attic"};
  return kTypes;
}

// A validator of plugin settings: no environment overrides; credential blocks may name
// any loaded source.
config::SettingsValidator validate(const PluginRegistry& registry, config::Diagnostics& out) {
  static const config::Environment kNone;
  config::SettingsValidator validator(kNone, out);
  validator.allowCredentialSources(registry.types(sdk::PluginKind::CredentialSource));
  return validator;
}

std::string listOf(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

void checkCredentials(const sdk::Value& block, const std::string& key, const PluginRegistry& registry,
                      config::Diagnostics& out) {
  if (block.isNull()) return;
  std::string tag = block.isString() ? block.asString() : (block.size() == 1 ? block.keys().front() : "");
  if (tag == "none") return;  // built in: no secrets, no plugin
  const auto* documented = config::CredentialTags::find(tag);
  const std::string type = documented != nullptr ? documented->canonical : tag;
  const sdk::CredentialSourceFactory* factory = registry.credentialSource(type);
  // A tag that is neither the manual's nor a loaded plugin's was reported by the settings
  // validator (with a suggestion).
  if (factory == nullptr && documented == nullptr) return;
  if (factory == nullptr) {
    out.add(sdk::ErrorCode::ConfigPluginUnavailable, block.location(), key,
            "credential source '" + tag + "' is not available: no loaded plugin provides it (available: " +
                listOf(registry.types(sdk::PluginKind::CredentialSource)) + ")");
    return;
  }
  if (!block.isTable()) return;
  sdk::Value settings = block.items().front();
  validate(registry, out).validateTable(factory->settings(), settings, key + "." + tag);
}

// Every credential block inside a plugin instance's settings (a "credentials" key at any
// depth: a forge's own, each GitHub App's), checked against the loaded sources.
void checkNestedCredentials(const sdk::Value& settings, const std::string& key, const PluginRegistry& registry,
                            config::Diagnostics& out) {
  if (settings.isTable()) {
    for (std::size_t i = 0; i < settings.size(); ++i) {
      const std::string child = key + "." + settings.keys()[i];
      if (settings.keys()[i] == "credentials") {
        checkCredentials(settings.items()[i], child, registry, out);
      } else {
        checkNestedCredentials(settings.items()[i], child, registry, out);
      }
    }
  } else if (settings.isArray()) {
    for (std::size_t i = 0; i < settings.items().size(); ++i) {
      checkNestedCredentials(settings.items()[i], key + "[" + std::to_string(i) + "]", registry, out);
    }
  }
}

}  // namespace

config::Diagnostics PluginRequirements::check(const config::ServerConfig& config, const PluginRegistry& registry) {
  config::Diagnostics out;
  const auto documentedForges = config::ForgeBlocks::documentedTypes();
  for (const auto& forge : config.forges) {
    const sdk::ForgeFactory* factory = registry.forge(forge.type);
    if (factory == nullptr) {
      if (std::find(documentedForges.begin(), documentedForges.end(), forge.type) != documentedForges.end()) {
        out.add(sdk::ErrorCode::ConfigPluginUnavailable, forge.location, forge.origin,
                "forge '" + forge.id + "' needs the '" + forge.type +
                    "' forge plugin, which is not loaded (loaded forge plugins: " +
                    listOf(registry.types(sdk::PluginKind::Forge)) + ")");
      } else {
        auto known = registry.types(sdk::PluginKind::Forge);
        for (const auto& t : documentedForges) {
          if (std::find(known.begin(), known.end(), t) == known.end()) known.push_back(t);
        }
        out.add(sdk::ErrorCode::ConfigUnknownPluginType, forge.location, forge.origin + ".type",
                "unknown forge type '" + forge.type + "'" + config::Suggestion::hint(forge.type, known));
      }
      continue;
    }
    const sdk::SettingsSchema schema = factory->settings();
    const sdk::Setting* list = nullptr;
    for (const auto& setting : schema) {
      if (!forge.gathered.empty() && setting.name == forge.gathered) list = &setting;
    }
    const sdk::Value* entries = forge.settings.find(forge.gathered);
    if (list != nullptr && list->type == sdk::SettingType::TableList && entries != nullptr) {
      // Each table of the block is an entry of the plugin's list setting: named as written.
      for (std::size_t i = 0; i < entries->items().size(); ++i) {
        const std::string key = forge.origin + "[" + std::to_string(i) + "]";
        sdk::Value entry = entries->items()[i];
        validate(registry, out).validateTable(list->children, entry, key, list->openTable);
        checkNestedCredentials(entries->items()[i], key, registry, out);
      }
      continue;
    }
    sdk::Value settings = forge.settings;
    validate(registry, out).validateTable(schema, settings, forge.origin);
    checkNestedCredentials(forge.settings, forge.origin, registry, out);
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
    validate(registry, out).validateTable(factory->settings(), settings, key);
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
      validate(registry, out).validateTable(factory->settings(), settings, key);
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
