#include "kernel/forge/ForgeInstances.h"

#include <algorithm>

#include "ekaci/sdk/ForgeFactory.h"
#include "kernel/plugin_host/GuardedForge.h"

namespace ekaci::forge {
namespace {

// [security] as every forge sees it: one webhook secret for all platforms.
void addSecurity(sdk::Value& settings, const config::ServerConfig& config) {
  if (settings.find("webhook_secret") == nullptr && config.security.webhookSecret) {
    settings.set("webhook_secret", sdk::Value::string(std::string(config.security.webhookSecret->reveal())));
  }
  if (settings.find("allow_insecure_webhooks") == nullptr) {
    settings.set("allow_insecure_webhooks", sdk::Value::boolean(config.security.allowInsecureWebhooks));
  }
}

}  // namespace

ForgeInstances::~ForgeInstances() {
  lifecycle_.stopAll();
  // Forges go before their HostServices (member order inside Instance does that) and in the
  // reverse order of their creation.
  while (!instances_.empty()) instances_.pop_back();
}

sdk::Value ForgeInstances::settingsOf(const config::ForgeInstanceConfig& forge, const config::ServerConfig& config) {
  sdk::Value settings = forge.settings.isTable() ? forge.settings : sdk::Value::table();
  addSecurity(settings, config);
  return settings;
}

sdk::Result<std::unique_ptr<ForgeInstances>> ForgeInstances::create(const config::ServerConfig& config,
                                                                    const plugin_host::PluginRegistry& registry,
                                                                    services::ServiceHub& hub) {
  auto out = std::make_unique<ForgeInstances>();
  for (const auto& forge : config.forges) {
    const sdk::ForgeFactory* factory = registry.forge(forge.type);
    if (factory == nullptr) {
      return sdk::Error(sdk::ErrorCode::ConfigPluginUnavailable,
                        "forge '" + forge.id + "' needs the '" + forge.type + "' forge plugin, which is not loaded");
    }
    auto host = hub.hostFor(sdk::PluginKind::Forge, forge.type, forge.id);
    if (!host) return std::move(host).error();
    auto instance = std::make_unique<Instance>();
    instance->id = forge.id;
    instance->type = forge.type;
    instance->host = std::move(host).value();
    // Its credential sources are created now too, so a refused block stops start-up.
    if (auto prepared = hub.prepareAllIn(forge.settings); !prepared) {
      return std::move(prepared).error().withContext("forge '" + forge.id + "'");
    }
    const plugin_host::PluginCallGuard guard("forge " + forge.type + "/" + forge.id, *instance->host);
    auto made = guard.call<std::unique_ptr<sdk::Forge>>(
        "create", [&] { return factory->create(settingsOf(forge, config), *instance->host); });
    if (!made) return std::move(made).error().withContext("forge '" + forge.id + "'");
    auto guarded = plugin_host::GuardedForge::wrap(std::move(made).value(), guard);
    if (!guarded) return std::move(guarded).error().withContext("forge '" + forge.id + "'");
    instance->forge = std::move(guarded).value();
    out->add(std::move(instance));
  }
  for (const auto& instance : out->instances_) {
    auto started = out->lifecycle_.start(*instance->forge, "forge '" + instance->id + "' (" + instance->type + ")");
    if (!started) return std::move(started).error();
  }
  return out;
}

void ForgeInstances::add(std::unique_ptr<Instance> instance) {
  const bool firstOfType = std::none_of(instances_.begin(), instances_.end(),
                                        [&](const auto& other) { return other->type == instance->type; });
  if (firstOfType) instance->routes.push_back("/" + instance->type + "/webhook");
  instance->routes.push_back("/" + instance->type + "/webhook/" + instance->id);
  instances_.push_back(std::move(instance));
}

ForgeInstances::Instance* ForgeInstances::find(const std::string& id) {
  for (auto& instance : instances_) {
    if (instance->id == id) return instance.get();
  }
  return nullptr;
}

}  // namespace ekaci::forge
