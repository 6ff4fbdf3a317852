#include "InstanceMetadata.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <ctime>
#include <optional>

namespace ekaci::plugins::credentials {
namespace {

constexpr std::chrono::milliseconds kTimeout{2000};

// "2026-12-04T21:00:00Z" -> seconds since the epoch; nothing when malformed.
std::optional<std::time_t> parseExpiration(const std::string& text) {
  std::tm tm{};
  if (text.size() < 20 || strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return std::nullopt;
  return timegm(&tm);
}

}  // namespace

sdk::Result<std::string> InstanceMetadata::get(const std::string& path, const std::string& token) {
  sdk::HttpRequest request;
  request.url = endpoint_ + path;
  request.headers.emplace_back("X-aws-ec2-metadata-token", token);
  request.timeout = kTimeout;
  auto response = host_.http().send(request);
  if (!response) {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      "instance metadata " + path + ": " + response.error().message());
  }
  if (response->status == 404) {
    return sdk::Error(sdk::ErrorCode::SecretNotFound, "instance metadata " + path + ": not found (no instance role?)");
  }
  if (response->status != 200) {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      "instance metadata " + path + " answered " + std::to_string(response->status));
  }
  return response->body;
}

sdk::Result<sdk::Credentials> InstanceMetadata::credentials() {
  std::lock_guard lock(mutex_);
  const auto now = host_.clock().now();
  if (now >= validUntil_) {
    sdk::HttpRequest tokenRequest;
    tokenRequest.method = "PUT";
    tokenRequest.url = endpoint_ + "/latest/api/token";
    tokenRequest.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
    tokenRequest.timeout = kTimeout;
    auto token = host_.http().send(tokenRequest);
    if (!token) {
      return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                        "instance metadata at " + endpoint_ + " is not reachable: " + token.error().message());
    }
    if (token->status != 200 || token->body.empty()) {
      return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                        "instance metadata refused a session token (" + std::to_string(token->status) + ")");
    }
    const std::string session = token->body;
    auto roles = get("/latest/meta-data/iam/security-credentials/", session);
    if (!roles) return std::move(roles).error();
    std::string role = roles->substr(0, roles->find('\n'));
    while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) role.pop_back();
    if (role.empty() || role.find('/') != std::string::npos) {
      return sdk::Error(sdk::ErrorCode::SecretNotFound, "instance metadata names no instance role");
    }
    auto document = get("/latest/meta-data/iam/security-credentials/" + role, session);
    if (!document) return std::move(document).error();
    try {
      Poco::JSON::Parser parser;
      auto o = parser.parse(*document).extract<Poco::JSON::Object::Ptr>();
      if (o->optValue<std::string>("Code", "Success") != "Success") {
        return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                          "instance metadata: role " + role + " is not usable");
      }
      accessKeyId_ = o->getValue<std::string>("AccessKeyId");
      secretAccessKey_ = o->getValue<std::string>("SecretAccessKey");
      sessionToken_ = o->optValue<std::string>("Token", "");
      // Kept until five minutes before they expire, and never longer than the session token's
      // six hours (an absurd Expiration cannot overflow the clock).
      const auto expires = parseExpiration(o->optValue<std::string>("Expiration", ""));
      const std::time_t nowSeconds = std::chrono::system_clock::to_time_t(now);
      const std::time_t until =
          expires ? std::min<std::time_t>(*expires - 300, nowSeconds + std::time_t{6} * 3600) : nowSeconds;
      validUntil_ = now + std::chrono::seconds(std::max<std::time_t>(0, until - nowSeconds));
    } catch (const std::exception&) {
      return sdk::Error(sdk::ErrorCode::SecretParse, "instance metadata: the role's credentials are not its JSON");
    }
  }
  sdk::Credentials out;
  out.set("AWS_ACCESS_KEY_ID", sdk::Secret(accessKeyId_));
  out.set("AWS_SECRET_ACCESS_KEY", sdk::Secret(secretAccessKey_));
  if (!sessionToken_.empty()) out.set("AWS_SESSION_TOKEN", sdk::Secret(sessionToken_));
  return out;
}

}  // namespace ekaci::plugins::credentials
