#include "kernel/forge/ForgeInstances.h"

#include <algorithm>

#include "ekaci/sdk/ForgeFactory.h"

namespace ekaci::forge {
namespace {

sdk::Value permissionsValue(const config::PermissionsConfig& permissions) {
  sdk::Value out = sdk::Value::table();
  out.set("allow_all", sdk::Value::boolean(permissions.allowAll));
  out.set("allowed_repos", sdk::Value::stringList(permissions.allowedRepos));
  out.set("allowed_branches", sdk::Value::stringList(permissions.allowedBranches));
  return out;
}

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
  // Forges go before their HostServices (member order inside Instance does that) and in the
  // reverse order of their creation.
  while (!instances_.empty()) instances_.pop_back();
}

sdk::Value ForgeInstances::githubSettings(const config::ServerConfig& config, const config::Environment& environment) {
  sdk::Value apps = sdk::Value::array();
  for (const auto& app : config.githubApps) {
    sdk::Value entry = sdk::Value::table();
    entry.set("id", sdk::Value::string(app.id));
    entry.set("api_url", sdk::Value::string(app.apiUrl));
    if (!app.credentials.isNull()) entry.set("credentials", app.credentials);
    entry.set("permissions", permissionsValue(app.permissions));
    apps.push(std::move(entry));
  }
  if (config.githubApps.empty()) {
    if (!environment.get("GITHUB_APP_ID") || !environment.get("GITHUB_APP_PRIVATE_KEY")) return sdk::Value();
    // The manual's zero-configuration app: its id and key straight from the environment.
    sdk::Value entry = sdk::Value::table();
    entry.set("id", sdk::Value::string("default"));
    entry.set("api_url", sdk::Value::string(environment.get("GITHUB_API_URL").value_or("https://api.github.com")));
    sdk::Value vars = sdk::Value::table();
    vars.set("vars", sdk::Value::stringList({"GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY"}));
    sdk::Value credentials = sdk::Value::table();
    credentials.set("env", std::move(vars));
    entry.set("credentials", std::move(credentials));
    entry.set("permissions", permissionsValue(config::PermissionsConfig{}));
    apps.push(std::move(entry));
  }
  sdk::Value settings = sdk::Value::table();
  settings.set("apps", std::move(apps));
  addSecurity(settings, config);
  return settings;
}

sdk::Value ForgeInstances::domainSettings(const config::ForgeDomainConfig& instance,
                                          const config::ServerConfig& config) {
  sdk::Value settings = sdk::Value::table();
  settings.set("domain", sdk::Value::string(instance.domain));
  if (!instance.apiUrl.empty()) settings.set("api_url", sdk::Value::string(instance.apiUrl));
  if (instance.token) settings.set("token", sdk::Value::string(std::string(instance.token->reveal())));
  if (!instance.credentials.isNull()) settings.set("credentials", instance.credentials);
  if (instance.webhookSecret) {
    settings.set("webhook_secret", sdk::Value::string(std::string(instance.webhookSecret->reveal())));
  }
  if (!instance.tokenType.empty()) settings.set("token_type", sdk::Value::string(instance.tokenType));
  addSecurity(settings, config);
  return settings;
}

sdk::Result<std::unique_ptr<ForgeInstances>> ForgeInstances::create(const config::ServerConfig& config,
                                                                    const plugin_host::PluginRegistry& registry,
                                                                    services::ServiceHub& hub,
                                                                    const config::Environment& environment) {
  auto out = std::make_unique<ForgeInstances>();
  struct Wanted {
    std::string id, type;
    sdk::Value settings;
  };
  std::vector<Wanted> wanted;
  sdk::Value github = githubSettings(config, environment);
  if (!github.isNull()) wanted.push_back({"github", "github", std::move(github)});
  for (const auto* list : {&config.giteaInstances, &config.gitlabInstances}) {
    const std::string type = list == &config.giteaInstances ? "gitea" : "gitlab";
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto& instance = (*list)[i];
      wanted.push_back({i == 0 ? type : instance.domain, type, domainSettings(instance, config)});
    }
  }
  for (const auto& forge : config.forges) {
    sdk::Value settings = forge.settings.isTable() ? forge.settings : sdk::Value::table();
    addSecurity(settings, config);
    wanted.push_back({forge.id, forge.type, std::move(settings)});
  }
  for (auto& w : wanted) {
    const sdk::ForgeFactory* factory = registry.forge(w.type);
    if (factory == nullptr) {
      return sdk::Error(sdk::ErrorCode::ConfigPluginUnavailable,
                        "forge '" + w.id + "' needs the '" + w.type + "' forge plugin, which is not loaded");
    }
    auto host = hub.hostFor(sdk::PluginKind::Forge, w.type, w.id);
    if (!host) return std::move(host).error();
    auto instance = std::make_unique<Instance>();
    instance->id = w.id;
    instance->type = w.type;
    instance->host = std::move(host).value();
    auto forge = factory->create(w.settings, *instance->host);
    if (!forge) return std::move(forge).error().withContext("forge '" + w.id + "'");
    instance->forge = std::move(forge).value();
    out->add(std::move(instance));
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
