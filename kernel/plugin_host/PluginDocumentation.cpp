#include "kernel/plugin_host/PluginDocumentation.h"

#include "kernel/config/ConfigDocumentation.h"

namespace ekaci::plugin_host {
namespace {

const sdk::PluginFactory* factoryOf(const PluginRegistry& registry, sdk::PluginKind kind, const std::string& type) {
  switch (kind) {
    case sdk::PluginKind::Forge:
      return registry.forge(type);
    case sdk::PluginKind::Cache:
      return registry.cache(type);
    case sdk::PluginKind::CredentialSource:
      return registry.credentialSource(type);
    case sdk::PluginKind::Evaluator:
      return registry.evaluator(type);
  }
  return nullptr;
}

std::string whereItGoes(sdk::PluginKind kind, const std::string& type) {
  switch (kind) {
    case sdk::PluginKind::Forge:
      return "`[[forges]]` with `type = \"" + type + "\"`";
    case sdk::PluginKind::Cache:
      return "`[[caches]]` with `cache_type = \"" + type + "\"`";
    case sdk::PluginKind::CredentialSource:
      return "`credentials = { " + type + " = { ... } }`";
    case sdk::PluginKind::Evaluator:
      return "`[evaluators." + type + "]`";
  }
  return "";
}

std::string section(const sdk::PluginFactory& factory, sdk::PluginKind kind, const std::string& type) {
  std::string out = "### `" + type + "` (" + sdk::pluginKindName(kind) + ")\n\n" + factory.description() + " In " +
                    whereItGoes(kind, type) + ".\n\n";
  const auto settings = factory.settings();
  out += settings.empty() ? "No settings.\n" : config::ConfigDocumentation::markdownReference(settings);
  return out;
}

constexpr sdk::PluginKind kKinds[] = {sdk::PluginKind::Cache, sdk::PluginKind::CredentialSource,
                                      sdk::PluginKind::Evaluator, sdk::PluginKind::Forge};

}  // namespace

std::string PluginDocumentation::markdown(const PluginRegistry& registry) {
  std::string out =
      "## Plugin settings\n\nThe settings each loaded plugin declares; they are the only schema of its "
      "block.\n";
  for (auto kind : kKinds) {
    for (const auto& type : registry.types(kind)) {
      if (const auto* factory = factoryOf(registry, kind, type)) out += "\n" + section(*factory, kind, type);
    }
  }
  return out;
}

std::optional<std::string> PluginDocumentation::describe(const PluginRegistry& registry, const std::string& type) {
  std::string out;
  for (auto kind : kKinds) {
    if (const auto* factory = factoryOf(registry, kind, type))
      out += (out.empty() ? "" : "\n") + section(*factory, kind, type);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace ekaci::plugin_host
