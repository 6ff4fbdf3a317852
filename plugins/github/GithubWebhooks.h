#pragma once

#include <optional>

#include "ekaci/sdk/ForgeWebhooks.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::github {

// GitHub deliveries: X-Hub-Signature-256 (HMAC-SHA256 of the raw body with the webhook
// secret, "sha256=<hex>") checked in constant time before the body is looked at, then the
// payload of X-GitHub-Event turned into the SDK's events.
class GithubWebhooks : public sdk::ForgeWebhooks {
 public:
  GithubWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId);

  sdk::Result<void> verify(const sdk::WebhookRequest& request) const override;
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest& request) const override;

  // "sha256=<hex>" of `body` under `secret`, as GitHub computes it.
  static std::string signature(std::string_view secret, std::string_view body);
  static std::string header(const sdk::WebhookRequest& request, std::string_view name);

 private:
  std::optional<sdk::Secret> secret_;
  bool allowInsecure_;
  std::string forgeId_;
};

}  // namespace ekaci::github
