#pragma once

#include <optional>
#include <string>

#include "ekaci/sdk/ForgeWebhooks.h"
#include "ekaci/sdk/Secret.h"

namespace ekaci::gitea {

// Deliveries from Gitea or Forgejo: X-Gitea-Signature or X-Forgejo-Signature, the hex
// HMAC-SHA256 of the body under the webhook secret, is checked in constant time before
// the body is parsed; X-Gitea-Delivery (X-Forgejo-Delivery) is the delivery id.
class GiteaWebhooks : public sdk::ForgeWebhooks {
 public:
  GiteaWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId);

  sdk::Result<void> verify(const sdk::WebhookRequest& request) const override;
  sdk::Result<std::vector<sdk::ForgeEvent>> parse(const sdk::WebhookRequest& request) const override;

 private:
  std::optional<sdk::Secret> secret_;
  bool allowInsecure_;
  std::string forgeId_;
};

}  // namespace ekaci::gitea
