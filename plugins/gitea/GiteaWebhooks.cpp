#include "GiteaWebhooks.h"

#include "GiteaEventParser.h"
#include "forgekit/WebhookAuth.h"

namespace ekaci::gitea {

using forgekit::WebhookAuth;

GiteaWebhooks::GiteaWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId)
    : secret_(std::move(secret)), allowInsecure_(allowInsecure), forgeId_(std::move(forgeId)) {}

sdk::Result<void> GiteaWebhooks::verify(const sdk::WebhookRequest& request) const {
  if (!secret_ || secret_->empty()) {
    if (allowInsecure_) return sdk::success();
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "no webhook secret is configured");
  }
  std::string given = WebhookAuth::header(request, "X-Gitea-Signature");
  if (given.empty()) given = WebhookAuth::header(request, "X-Forgejo-Signature");
  if (given.empty()) {
    return sdk::Error(sdk::ErrorCode::WebhookSignatureMissing, "no X-Gitea-Signature or X-Forgejo-Signature header");
  }
  for (auto& c : given) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!WebhookAuth::sameText(given, WebhookAuth::hmacSha256Hex(secret_->reveal(), request.body))) {
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "the delivery's signature does not match its body");
  }
  return sdk::success();
}

sdk::Result<std::vector<sdk::ForgeEvent>> GiteaWebhooks::parse(const sdk::WebhookRequest& request) const {
  std::string type;
  for (const char* name : {"X-Gitea-Event-Type", "X-Forgejo-Event-Type", "X-Gitea-Event", "X-Forgejo-Event"}) {
    if (type.empty()) type = WebhookAuth::header(request, name);
  }
  if (type.empty()) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "no X-Gitea-Event header");
  std::string delivery = WebhookAuth::header(request, "X-Gitea-Delivery");
  if (delivery.empty()) delivery = WebhookAuth::header(request, "X-Forgejo-Delivery");
  return GiteaEventParser::parse(type, delivery, request.body, forgeId_);
}

}  // namespace ekaci::gitea
