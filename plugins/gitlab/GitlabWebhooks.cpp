#include "GitlabWebhooks.h"

#include "GitlabEventParser.h"
#include "forgekit/WebhookAuth.h"

namespace ekaci::gitlab {

using forgekit::WebhookAuth;

GitlabWebhooks::GitlabWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId)
    : secret_(std::move(secret)), allowInsecure_(allowInsecure), forgeId_(std::move(forgeId)) {}

sdk::Result<void> GitlabWebhooks::verify(const sdk::WebhookRequest& request) const {
  if (!secret_ || secret_->empty()) {
    if (allowInsecure_) return sdk::success();
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "no webhook secret is configured");
  }
  const std::string given = WebhookAuth::header(request, "X-Gitlab-Token");
  if (given.empty()) return sdk::Error(sdk::ErrorCode::WebhookSignatureMissing, "no X-Gitlab-Token header");
  const std::string_view key = secret_->reveal();
  if (!WebhookAuth::sameText(WebhookAuth::hmacSha256Hex(key, given), WebhookAuth::hmacSha256Hex(key, key))) {
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "X-Gitlab-Token is not the webhook secret");
  }
  return sdk::success();
}

sdk::Result<std::vector<sdk::ForgeEvent>> GitlabWebhooks::parse(const sdk::WebhookRequest& request) const {
  const std::string event = WebhookAuth::header(request, "X-Gitlab-Event");
  if (event.empty()) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "no X-Gitlab-Event header");
  return GitlabEventParser::parse(event, WebhookAuth::header(request, "X-Gitlab-Event-UUID"), request.body, forgeId_);
}

}  // namespace ekaci::gitlab
