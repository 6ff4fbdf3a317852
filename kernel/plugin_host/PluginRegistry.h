#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Registrar.h"

namespace ekaci::plugin_host {

// Every factory registered by every plugin, keyed by (kind, type). It is the Registrar the
// plugins' register functions receive. Duplicates are refused with a message naming both
// plugins. Factories live until the registry is destroyed, which the PluginHost arranges to
// happen before any library would go away (and libraries are never unloaded anyway).
class PluginRegistry : public sdk::Registrar {
 public:
  struct Entry {
    sdk::PluginKind kind;
    std::string type;
    std::string plugin;  // the plugin's descriptor name
    std::string file;    // the shared object it came from ("built-in" for linked factories)
    std::unique_ptr<sdk::PluginFactory> factory;
  };

  // Attributes the factories registered from now on to this plugin.
  void beginPlugin(std::string plugin, std::string file);

  sdk::Result<void> addForge(std::unique_ptr<sdk::ForgeFactory> factory) override;
  sdk::Result<void> addCache(std::unique_ptr<sdk::CacheFactory> factory) override;
  sdk::Result<void> addCredentialSource(std::unique_ptr<sdk::CredentialSourceFactory> factory) override;
  sdk::Result<void> addEvaluator(std::unique_ptr<sdk::EvaluatorFactory> factory) override;

  // Removes everything registered since the last beginPlugin(): a plugin whose register
  // function fails leaves nothing behind.
  void rollbackPlugin();

  const Entry* find(sdk::PluginKind kind, const std::string& type) const;
  const sdk::ForgeFactory* forge(const std::string& type) const;
  const sdk::CacheFactory* cache(const std::string& type) const;
  const sdk::CredentialSourceFactory* credentialSource(const std::string& type) const;
  const sdk::EvaluatorFactory* evaluator(const std::string& type) const;

  std::vector<std::string> types(sdk::PluginKind kind) const;
  const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  sdk::Result<void> add(std::unique_ptr<sdk::PluginFactory> factory);

  std::vector<Entry> entries_;
  std::string currentPlugin_ = "built-in";
  std::string currentFile_ = "built-in";
  std::size_t pluginStart_ = 0;
};

}  // namespace ekaci::plugin_host
