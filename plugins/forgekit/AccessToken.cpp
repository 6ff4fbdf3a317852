#include "forgekit/AccessToken.h"

namespace ekaci::forgekit {

AccessToken::AccessToken(std::optional<sdk::Secret> token, sdk::Value credentials, std::string name,
                         sdk::HostServices& host, std::chrono::seconds reuseFor)
    : token_(std::move(token)),
      credentials_(std::move(credentials)),
      name_(std::move(name)),
      host_(host),
      reuseFor_(reuseFor) {}

std::unique_ptr<AccessToken> AccessToken::fromSettings(const sdk::Value& settings, std::string name,
                                                       sdk::HostServices& host) {
  std::optional<sdk::Secret> token;
  if (const sdk::Value* value = settings.find("token"); value != nullptr && !value->asString().empty()) {
    token = sdk::Secret(value->asString());
  }
  sdk::Value credentials;
  if (const sdk::Value* value = settings.find("credentials"); value != nullptr) credentials = *value;
  return std::make_unique<AccessToken>(std::move(token), std::move(credentials), std::move(name), host);
}

bool AccessToken::configured() const {
  return token_.has_value() || !credentials_.isNull();
}

sdk::Result<std::string> AccessToken::reveal() {
  std::lock_guard lock(mutex_);
  if (token_) return std::string(token_->reveal());
  if (credentials_.isNull()) {
    return sdk::Error(sdk::ErrorCode::ForgeAuthentication, "no access token is configured (" + name_ + ")");
  }
  const auto now = std::chrono::steady_clock::now();
  if (!fetched_ || now - fetchedAt_ >= reuseFor_) {
    auto credentials = host_.secrets().resolve(credentials_);
    if (!credentials) return std::move(credentials).error().withContext("the access token " + name_);
    const sdk::Secret* secret = credentials->find(name_);
    if (secret == nullptr || secret->empty()) {
      return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "the credentials give no " + name_);
    }
    fetched_ = sdk::Secret(std::string(secret->reveal()));
    fetchedAt_ = now;
  }
  return std::string(fetched_->reveal());
}

sdk::Result<sdk::CloneCredentials> AccessToken::cloneCredentials() {
  if (!configured()) return sdk::Error(sdk::ErrorCode::NotFound, "no access token is configured (" + name_ + ")");
  auto token = reveal();
  if (!token) return std::move(token).error();
  return sdk::CloneCredentials{"oauth2", sdk::Secret(std::move(token).value())};
}

}  // namespace ekaci::forgekit
