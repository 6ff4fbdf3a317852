#pragma once

#include <optional>
#include <string>

#include "ekaci/sdk/ForgeWebhooks.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::gitlab {

// Deliveries from GitLab: X-Gitlab-Token must equal the webhook secret (compared through
// HMACs of both, so neither the contents nor the length of the secret shows in the time
// taken) before the body is parsed; X-Gitlab-Event names the hook; X-Gitlab-Event-UUID is
// the delivery id.
class GitlabWebhooks : public sdk::ForgeWebhooks {
 public:
  GitlabWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId);

  sdk::Result<void> verify(const sdk::WebhookRequest& request) const override;
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest& request) const override;

 private:
  std::optional<sdk::Secret> secret_;
  bool allowInsecure_;
  std::string forgeId_;
};

}  // namespace ekaci::gitlab
