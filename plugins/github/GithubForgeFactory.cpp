#include "GithubForgeFactory.h"

#include "GithubForge.h"

#include <set>

namespace ekaci::github {

sdk::SettingsSchema GithubForgeFactory::settings() const {
  using namespace sdk::settings;
  sdk::Setting secret = string("webhook_secret", std::nullopt,
                               "HMAC-SHA256 key of X-Hub-Signature-256 (the kernel passes security.webhook_secret).");
  secret.secret = true;
  return {
      secret,
      boolean("allow_insecure_webhooks", false, "Accept deliveries without a signature when no secret is set."),
      tableList(
          "apps",
          {requiredString("id", "App identifier used in logs and permission lookups."),
           string("api_url", "https://api.github.com", "REST API base (GitHub Enterprise: https://HOST/api/v3)."),
           credentials("credentials", false,
                       "Where GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY come from (default: the server environment)."),
           table("permissions",
                 {boolean("allow_all", true, "Serve every repository of the app's installations."),
                  stringList("allowed_repos", "Globs of owner/repo this app serves when allow_all is false."),
                  stringList("allowed_branches", "Globs of base branches; empty: all.")},
                 "Which repositories this app serves.")},
          "GitHub Apps, tried in order; the first whose permissions allow a repository serves it."),
  };
}

sdk::Result<std::unique_ptr<sdk::Forge>> GithubForgeFactory::create(const sdk::Value& config,
                                                                    sdk::HostServices& host) const {
  std::optional<sdk::Secret> secret;
  if (const sdk::Value* value = config.find("webhook_secret"); value != nullptr && !value->asString().empty()) {
    secret = sdk::Secret(value->asString());
  }
  const sdk::Value* insecure = config.find("allow_insecure_webhooks");
  const bool allowInsecure = insecure != nullptr && insecure->asBool();
  if (!secret && !allowInsecure) {
    return sdk::Error(
        sdk::ErrorCode::ConfigMissingKey,
        "GitHub needs a webhook secret (security.webhook_secret, WEBHOOK_SECRET or GITHUB_WEBHOOK_SECRET)");
  }
  std::vector<std::unique_ptr<GithubApp>> apps;
  std::set<std::string> ids;
  if (const sdk::Value* list = config.find("apps")) {
    for (const auto& entry : list->items()) {
      GithubApp::Settings settings;
      if (const auto* id = entry.find("id")) settings.id = id->asString();
      if (!ids.insert(settings.id).second) {
        return sdk::Error(sdk::ErrorCode::ConfigDuplicateId, "GitHub App id '" + settings.id + "' is used twice");
      }
      if (const auto* url = entry.find("api_url"); url != nullptr && !url->asString().empty()) {
        settings.apiUrl = url->asString();
        while (!settings.apiUrl.empty() && settings.apiUrl.back() == '/') settings.apiUrl.pop_back();
      }
      if (const auto* credentials = entry.find("credentials")) {
        settings.credentials = *credentials;
      } else {
        // The manual's default: the app's id and key from the server's environment.
        sdk::Value vars = sdk::Value::table();
        vars.set("vars", sdk::Value::stringList({"GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY"}));
        settings.credentials = sdk::Value::table();
        settings.credentials.set("env", std::move(vars));
      }
      if (const auto* permissions = entry.find("permissions")) {
        if (const auto* all = permissions->find("allow_all")) settings.allowAll = all->asBool();
        if (const auto* repos = permissions->find("allowed_repos")) settings.allowedRepos = repos->asStringList();
        if (const auto* branches = permissions->find("allowed_branches")) {
          settings.allowedBranches = branches->asStringList();
        }
      }
      apps.push_back(std::make_unique<GithubApp>(std::move(settings), host));
    }
  }
  auto webhooks = std::make_unique<GithubWebhooks>(std::move(secret), allowInsecure, "");
  return std::unique_ptr<sdk::Forge>(std::make_unique<GithubForge>(std::move(webhooks), std::move(apps), host));
}

}  // namespace ekaci::github
