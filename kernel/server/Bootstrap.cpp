#include "kernel/server/Bootstrap.h"

#include "kernel/config/ConfigLoader.h"
#include "kernel/plugin_host/PluginRequirements.h"

namespace ekaci::server {

sdk::Result<std::unique_ptr<plugin_host::PluginHost>> Bootstrap::loadPlugins(
    const std::optional<std::filesystem::path>& configPath, const std::filesystem::path& executable,
    const config::Environment& environment, sdk::Logger& logger) {
  auto host = std::make_unique<plugin_host::PluginHost>();
  config::ConfigLoader loader(environment);
  const std::filesystem::path configFile = configPath.value_or(loader.defaultPath());
  // Plugins first: their settings and credential sources are part of what the
  // configuration may say.
  std::vector<std::string> pluginPaths, optionalPaths;
  std::error_code ec;
  if (configPath || std::filesystem::exists(configFile, ec)) {
    auto peeked = config::ConfigLoader::peekPluginPaths(configFile);
    if (!peeked) return std::move(peeked).error();
    pluginPaths = peeked->first;
    optionalPaths = peeked->second;
  }
  auto& plugins = *host;
  const auto bundled = plugin_host::PluginHost::bundledPluginDirectory(executable);
  if (std::filesystem::is_directory(bundled, ec)) {
    if (auto loaded = plugins.loadPath(bundled, false); !loaded) return std::move(loaded).error();
  } else {
    logger.warn("no bundled plugin directory", {{"path", bundled.string()}});
  }
  for (const auto& path : pluginPaths) {
    if (auto loaded = plugins.loadPath(path, false); !loaded) return std::move(loaded).error();
  }
  for (const auto& path : optionalPaths) (void)plugins.loadPath(path, true);
  for (const auto& skipped : plugins.skipped()) {
    logger.warn("optional plugin skipped", {{"file", skipped.file.string()}, {"error", skipped.error.describe()}});
  }
  return host;
}

sdk::Result<Bootstrap::Prepared> Bootstrap::prepare(const std::optional<std::filesystem::path>& configPath,
                                                    const std::filesystem::path& executable,
                                                    const config::Environment& environment, sdk::Logger& logger) {
  Prepared prepared;
  auto loaded = loadPlugins(configPath, executable, environment, logger);
  if (!loaded) return std::move(loaded).error();
  prepared.plugins = std::move(loaded).value();
  auto& plugins = *prepared.plugins;
  config::ConfigLoader loader(environment);
  loader.allowCredentialSources(plugins.registry().types(sdk::PluginKind::CredentialSource));
  auto config = loader.load(configPath);
  if (!config) return std::move(config).error();
  prepared.config = std::move(config).value();
  for (const auto& warning : prepared.config.warnings) logger.warn(warning);

  config::Diagnostics requirements = plugin_host::PluginRequirements::check(prepared.config, plugins.registry());
  if (!requirements.ok()) return requirements.toError();
  return prepared;
}

}  // namespace ekaci::server
