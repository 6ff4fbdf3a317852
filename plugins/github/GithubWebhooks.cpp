#include "GithubWebhooks.h"

#include "GithubEventParser.h"
#include "forgekit/WebhookAuth.h"

namespace ekaci::github {

GithubWebhooks::GithubWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId)
    : secret_(std::move(secret)), allowInsecure_(allowInsecure), forgeId_(std::move(forgeId)) {}

std::string GithubWebhooks::header(const sdk::WebhookRequest& request, std::string_view name) {
  return forgekit::WebhookAuth::header(request, name);
}

std::string GithubWebhooks::signature(std::string_view secret, std::string_view body) {
  return "sha256=" + forgekit::WebhookAuth::hmacSha256Hex(secret, body);
}

sdk::Result<void> GithubWebhooks::verify(const sdk::WebhookRequest& request) const {
  if (!secret_ || secret_->empty()) {
    if (allowInsecure_) return sdk::success();
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "no webhook secret is configured");
  }
  const std::string given = header(request, "X-Hub-Signature-256");
  if (given.empty()) return sdk::Error(sdk::ErrorCode::WebhookSignatureMissing, "no X-Hub-Signature-256 header");
  const std::string expected = signature(secret_->reveal(), request.body);
  // Same length first (the length of a SHA-256 signature is public), then constant time.
  if (!forgekit::WebhookAuth::sameText(given, expected)) {
    return sdk::Error(sdk::ErrorCode::WebhookSignatureInvalid, "X-Hub-Signature-256 does not match the body");
  }
  return sdk::success();
}

sdk::Result<std::vector<sdk::ForgeEvent>> GithubWebhooks::parse(const sdk::WebhookRequest& request) const {
  const std::string event = header(request, "X-GitHub-Event");
  if (event.empty()) return sdk::Error(sdk::ErrorCode::WebhookMalformed, "no X-GitHub-Event header");
  return GithubEventParser::parse(event, header(request, "X-GitHub-Delivery"), request.body, forgeId_);
}

}  // namespace ekaci::github
