#include "kernel/server/ApiTokens.h"

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <openssl/rand.h>

#include <array>

namespace ekaci::server {

sdk::Secret ApiTokens::randomSecret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no random bytes for the API token secret");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return sdk::Secret(std::move(hex));
}

std::string ApiTokens::issue(const std::string& login, bool admin, std::chrono::seconds ttl) const {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject(login);
  token.payload().set("username", login);
  token.payload().set("is_admin", admin);
  const auto now = clock_.now();
  token.setIssuedAt(Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(now)));
  token.setExpiration(Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(now + ttl)));
  Poco::JWT::Signer signer(std::string(secret_.reveal()));
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

sdk::Result<forge::MergeApi::Actor> ApiTokens::verify(const std::string& authorization) const {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() || authorization.compare(0, kBearer.size(), kBearer) != 0) {
    return sdk::Error(sdk::ErrorCode::PermissionDenied, "an Authorization: Bearer token is required");
  }
  try {
    Poco::JWT::Signer signer(std::string(secret_.reveal()));
    signer.setAlgorithms({Poco::JWT::Signer::ALGO_HS256});
    Poco::JWT::Token token;
    if (!signer.tryVerify(authorization.substr(kBearer.size()), token)) {
      return sdk::Error(sdk::ErrorCode::PermissionDenied, "the token's signature is not valid");
    }
    const auto now = Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(clock_.now()));
    if (!token.payload().has("exp") || token.getExpiration() <= now) {
      return sdk::Error(sdk::ErrorCode::PermissionDenied, "the token has expired");
    }
    forge::MergeApi::Actor actor;
    actor.login = token.payload().optValue<std::string>("username", "");
    actor.admin = token.payload().optValue<bool>("is_admin", false);
    if (actor.login.empty()) return sdk::Error(sdk::ErrorCode::PermissionDenied, "the token names no user");
    return actor;
  } catch (const Poco::Exception&) {
    return sdk::Error(sdk::ErrorCode::PermissionDenied, "the token is not a JWT");
  }
}

}  // namespace ekaci::server
