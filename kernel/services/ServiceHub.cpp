#include "kernel/services/ServiceHub.h"

#include <sys/stat.h>

#include "kernel/config/CredentialTags.h"
#include "kernel/config/Diagnostics.h"
#include "kernel/config/Environment.h"
#include "kernel/config/SettingsValidator.h"
#include "kernel/config/Suggestion.h"

namespace ekaci::services {

ServiceHub::ServiceHub(Logging& logging, const plugin_host::PluginRegistry& registry, std::filesystem::path stateRoot)
    : logging_(logging),
      registry_(registry),
      stateRoot_(std::move(stateRoot)),
      metricsLogger_(logging.logger("metrics")),
      metrics_(*metricsLogger_) {}

ServiceHub::~ServiceHub() = default;

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

sdk::Result<sdk::Credentials> ServiceHub::resolve(const sdk::Value& block) {
  std::string tag;
  sdk::Value settings = sdk::Value::table();
  if (block.isString()) {
    tag = block.asString();
  } else if (block.isTable() && block.size() == 1 && block.items().front().isTable()) {
    tag = block.keys().front();
    settings = block.items().front();
  } else {
    return sdk::Error(sdk::ErrorCode::ConfigWrongType, "a credentials block names exactly one source");
  }
  // `none` needs no plugin: a public cache, an unauthenticated service.
  if (tag == "none") return sdk::Credentials{};
  const auto* documented = config::CredentialTags::find(tag);
  const std::string type = documented != nullptr ? documented->canonical : tag;
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
  config::Diagnostics diagnostics;
  config::Environment noEnvironment;
  config::SettingsValidator(noEnvironment, diagnostics).validateTable(factory->settings(), settings, tag);
  if (!diagnostics.ok()) return diagnostics.toError();

  KernelHostServices* host = nullptr;
  {
    std::lock_guard lock(credentialHostsMutex_);
    auto& slot = credentialHosts_[type];
    if (!slot) {
      auto made = hostFor(sdk::PluginKind::CredentialSource, type, "shared");
      if (!made) return std::move(made).error();
      slot = std::move(made).value();
    }
    host = slot.get();
  }
  auto source = factory->create(settings, *host);
  if (!source) return std::move(source).error();
  return (*source)->fetch();
}

}  // namespace ekaci::services
