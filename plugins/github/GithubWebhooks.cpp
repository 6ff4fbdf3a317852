#include "GithubWebhooks.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>

#include "GithubEventParser.h"

namespace ekaci::github {

GithubWebhooks::GithubWebhooks(std::optional<sdk::Secret> secret, bool allowInsecure, std::string forgeId)
    : secret_(std::move(secret)), allowInsecure_(allowInsecure), forgeId_(std::move(forgeId)) {}

std::string GithubWebhooks::header(const sdk::WebhookRequest& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < key.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(key[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return value;
  }
  return {};
}

std::string GithubWebhooks::signature(std::string_view secret, std::string_view body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
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
  if (given.size() != expected.size() || CRYPTO_memcmp(given.data(), expected.data(), expected.size()) != 0) {
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
