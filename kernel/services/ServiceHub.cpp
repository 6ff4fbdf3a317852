#include "kernel/services/ServiceHub.h"

#include <sys/stat.h>

#include "kernel/config/CredentialTags.h"
#include "kernel/config/Diagnostics.h"
#include "kernel/config/Environment.h"
#include "kernel/config/SettingsValidator.h"
#include "kernel/config/Suggestion.h"
#include "kernel/plugin_host/GuardedCredentialSource.h"

namespace ekaci::services {

ServiceHub::ServiceHub(Logging& logging, const plugin_host::PluginRegistry& registry, std::filesystem::path stateRoot)
    : logging_(logging),
      registry_(registry),
      stateRoot_(std::move(stateRoot)),
      metricsLogger_(logging.logger("metrics")),
      metrics_(*metricsLogger_) {}

ServiceHub::~ServiceHub() {
  sourceLifecycle_.stopAll();
  sources_.clear();
}

sdk::Result<std::unique_ptr<KernelHostServices>> ServiceHub::hostFor(sdk::PluginKind kind, const std::string& type,
                                                                     const std::string& id) {
  const std::string kindName = sdk::pluginKindName(kind);
  std::filesystem::path dir = stateRoot_ / "plugins" / kindName / type / id;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return sdk::Error(sdk::ErrorCode::IoError,
                      "cannot create plugin state directory " + dir.string() + ": " + ec.message());
  }
  ::chmod(dir.c_str(), 0700);
  return std::make_unique<KernelHostServices>(
      http_, logging_.logger("plugin." + kindName + "." + type + "." + id), metrics_,
      sdk::MetricLabels{{"plugin_kind", kindName}, {"plugin_type", type}, {"instance", id}}, clock_, processes_, *this,
      dir);
}

namespace {
// The source type and settings a credential block names, or the block's error.
struct NamedSource {
  std::string tag;
  sdk::Value settings = sdk::Value::table();
};

sdk::Result<NamedSource> sourceOf(const sdk::Value& block) {
  NamedSource out;
  if (block.isString()) {
    out.tag = block.asString();
  } else if (block.isTable() && block.size() == 1 && block.items().front().isTable()) {
    out.tag = block.keys().front();
    out.settings = block.items().front();
  } else {
    return sdk::Error(sdk::ErrorCode::ConfigWrongType, "a credentials block names exactly one source");
  }
  return out;
}
}  // namespace

sdk::Result<sdk::Credentials> ServiceHub::resolve(const sdk::Value& block) {
  auto source = sourceFor(block);
  if (!source) return std::move(source).error();
  // `none` needs no plugin: a public cache, an unauthenticated service.
  if (*source == nullptr) return sdk::Credentials{};
  return (*source)->fetch();
}

sdk::Result<void> ServiceHub::prepare(const sdk::Value& block) {
  auto source = sourceFor(block);
  if (!source) return std::move(source).error();
  return sdk::success();
}

sdk::Result<void> ServiceHub::prepareAllIn(const sdk::Value& settings) {
  if (settings.isTable()) {
    for (std::size_t i = 0; i < settings.size(); ++i) {
      auto prepared =
          settings.keys()[i] == "credentials" ? prepare(settings.items()[i]) : prepareAllIn(settings.items()[i]);
      if (!prepared) return prepared;
    }
  } else if (settings.isArray()) {
    for (const auto& item : settings.items()) {
      auto prepared = prepareAllIn(item);
      if (!prepared) return prepared;
    }
  }
  return sdk::success();
}

sdk::Result<sdk::CredentialSource*> ServiceHub::sourceFor(const sdk::Value& block) {
  auto named = sourceOf(block);
  if (!named) return std::move(named).error();
  const std::string& tag = named->tag;
  if (tag == "none") return static_cast<sdk::CredentialSource*>(nullptr);
  const auto* documented = config::CredentialTags::find(tag);
  const std::string type = documented != nullptr ? documented->canonical : tag;
  const std::string key = type + "\n" + named->settings.toString();
  std::lock_guard lock(credentialHostsMutex_);
  if (auto known = sources_.find(key); known != sources_.end()) return known->second.get();
  const sdk::CredentialSourceFactory* factory = registry_.credentialSource(type);
  if (factory == nullptr) {
    auto available = registry_.types(sdk::PluginKind::CredentialSource);
    if (documented == nullptr) {
      return sdk::Error(sdk::ErrorCode::ConfigUnknownCredentialTag,
                        "unknown credential source '" + tag + "'" + config::Suggestion::hint(tag, available));
    }
    std::string list;
    for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
    return sdk::Error(sdk::ErrorCode::ConfigPluginUnavailable,
                      "credential source '" + tag + "' is not available: no loaded plugin provides it (available: " +
                          (list.empty() ? "none" : list) + ")");
  }
  sdk::Value settings = named->settings;
  config::Diagnostics diagnostics;
  config::Environment noEnvironment;
  config::SettingsValidator(noEnvironment, diagnostics).validateTable(factory->settings(), settings, tag);
  if (!diagnostics.ok()) return diagnostics.toError();

  auto& host = credentialHosts_[type];
  if (!host) {
    auto made = hostFor(sdk::PluginKind::CredentialSource, type, "shared");
    if (!made) return std::move(made).error();
    host = std::move(made).value();
  }
  const plugin_host::PluginCallGuard guard("credential source " + type, *host);
  auto source =
      guard.call<std::unique_ptr<sdk::CredentialSource>>("create", [&] { return factory->create(settings, *host); });
  if (!source) return std::move(source).error();
  auto guarded = std::make_unique<plugin_host::GuardedCredentialSource>(std::move(source).value(), guard);
  auto started = sourceLifecycle_.start(*guarded, "credential source '" + tag + "'");
  if (!started) return std::move(started).error();
  sdk::CredentialSource* out = guarded.get();
  sources_.emplace(key, std::move(guarded));
  return out;
}

}  // namespace ekaci::services
