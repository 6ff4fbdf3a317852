#include "kernel/plugin_host/PluginRegistry.h"

namespace ekaci::plugin_host {

void PluginRegistry::beginPlugin(std::string plugin, std::string file) {
  currentPlugin_ = std::move(plugin);
  currentFile_ = std::move(file);
  pluginStart_ = entries_.size();
}

void PluginRegistry::rollbackPlugin() {
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(pluginStart_), entries_.end());
}

sdk::Result<void> PluginRegistry::add(std::unique_ptr<sdk::PluginFactory> factory) {
  if (!factory) return sdk::Error(sdk::ErrorCode::InvalidArgument, "plugin " + currentPlugin_ + " registered a null factory");
  const sdk::PluginKind kind = factory->kind();
  const std::string type = factory->type();
  if (type.empty()) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument,
                      "plugin " + currentPlugin_ + " registered a " + sdk::pluginKindName(kind) + " with an empty type");
  }
  if (const Entry* existing = find(kind, type)) {
    return sdk::Error(sdk::ErrorCode::PluginDuplicateType,
                      std::string(sdk::pluginKindName(kind)) + " type '" + type + "' from plugin " + currentPlugin_ +
                          " (" + currentFile_ + ") is already provided by plugin " + existing->plugin + " (" +
                          existing->file + ")");
  }
  entries_.push_back(Entry{kind, type, currentPlugin_, currentFile_, std::move(factory)});
  return sdk::success();
}

sdk::Result<void> PluginRegistry::addForge(std::unique_ptr<sdk::ForgeFactory> factory) { return add(std::move(factory)); }
sdk::Result<void> PluginRegistry::addCache(std::unique_ptr<sdk::CacheFactory> factory) { return add(std::move(factory)); }
sdk::Result<void> PluginRegistry::addCredentialSource(std::unique_ptr<sdk::CredentialSourceFactory> factory) {
  return add(std::move(factory));
}
sdk::Result<void> PluginRegistry::addEvaluator(std::unique_ptr<sdk::EvaluatorFactory> factory) {
  return add(std::move(factory));
}

const PluginRegistry::Entry* PluginRegistry::find(sdk::PluginKind kind, const std::string& type) const {
  for (const auto& entry : entries_) {
    if (entry.kind == kind && entry.type == type) return &entry;
  }
  return nullptr;
}

// The kind is checked by find(); the static_cast is safe because each add* only accepts
// the matching factory interface.
const sdk::ForgeFactory* PluginRegistry::forge(const std::string& type) const {
  const Entry* e = find(sdk::PluginKind::Forge, type);
  return e ? static_cast<const sdk::ForgeFactory*>(e->factory.get()) : nullptr;
}
const sdk::CacheFactory* PluginRegistry::cache(const std::string& type) const {
  const Entry* e = find(sdk::PluginKind::Cache, type);
  return e ? static_cast<const sdk::CacheFactory*>(e->factory.get()) : nullptr;
}
const sdk::CredentialSourceFactory* PluginRegistry::credentialSource(const std::string& type) const {
  const Entry* e = find(sdk::PluginKind::CredentialSource, type);
  return e ? static_cast<const sdk::CredentialSourceFactory*>(e->factory.get()) : nullptr;
}
const sdk::EvaluatorFactory* PluginRegistry::evaluator(const std::string& type) const {
  const Entry* e = find(sdk::PluginKind::Evaluator, type);
  return e ? static_cast<const sdk::EvaluatorFactory*>(e->factory.get()) : nullptr;
}

std::vector<std::string> PluginRegistry::types(sdk::PluginKind kind) const {
  std::vector<std::string> out;
  for (const auto& entry : entries_) {
    if (entry.kind == kind) out.push_back(entry.type);
  }
  return out;
}

}  // namespace ekaci::plugin_host
