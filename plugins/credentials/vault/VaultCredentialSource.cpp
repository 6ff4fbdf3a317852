#include "VaultCredentialSource.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>

namespace ekaci::plugins::credentials {

std::string VaultCredentialSource::apiPathOf(const std::string& secretPath) {
  std::string path = secretPath;
  while (!path.empty() && path.front() == '/') path.erase(path.begin());
  while (!path.empty() && path.back() == '/') path.pop_back();
  const auto slash = path.find('/');
  if (slash == std::string::npos) return "secret/data/" + path;
  if (path.compare(slash, 6, "/data/") == 0) return path;
  return path.substr(0, slash) + "/data" + path.substr(slash);
}

sdk::Result<sdk::Credentials> VaultCredentialSource::fetch() {
  const auto now = host_.clock().now();
  {
    std::lock_guard lock(mutex_);
    if (!cached_.empty() && now < cachedUntil_) {
      sdk::Credentials out;
      for (const auto& [name, value] : cached_) out.set(name, value.duplicate());
      return out;
    }
  }
  const char* token = std::getenv(settings_.tokenEnv.c_str());
  if (token == nullptr || *token == '\0') {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      "environment variable " + settings_.tokenEnv + " (the Vault token) is not set");
  }
  sdk::HttpRequest request;
  request.url = settings_.address + "/v1/" + settings_.apiPath;
  request.headers.emplace_back("X-Vault-Token", token);
  if (!settings_.vaultNamespace.empty()) request.headers.emplace_back("X-Vault-Namespace", settings_.vaultNamespace);
  request.headers.emplace_back("Accept", "application/json");
  request.tls = settings_.tls;
  auto response = host_.http().send(request);
  if (!response) {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable, describe() + ": " + response.error().message());
  }
  if (response->status == 403) {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      describe() + ": permission denied (the token's policy does not allow reading it)");
  }
  if (response->status == 404) return sdk::Error(sdk::ErrorCode::SecretNotFound, describe() + ": no such secret");
  if (response->status != 200) {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      describe() + ": Vault answered " + std::to_string(response->status));
  }
  sdk::Credentials out;
  std::vector<std::pair<std::string, sdk::Secret>> keep;
  std::int64_t lease = 0;
  try {
    Poco::JSON::Parser parser;
    auto root = parser.parse(response->body).extract<Poco::JSON::Object::Ptr>();
    lease = root->optValue<std::int64_t>("lease_duration", 0);
    auto outer = root->getObject("data");
    auto data = outer ? outer->getObject("data") : nullptr;
    if (!data) return sdk::Error(sdk::ErrorCode::SecretParse, describe() + ": the answer has no data.data (KV v2)");
    for (const auto& name : data->getNames()) {
      const auto value = data->get(name);
      if (value.isEmpty()) continue;
      const std::string text = value.isString() ? value.extract<std::string>() : value.toString();
      out.set(name, sdk::Secret(text));
      keep.emplace_back(name, sdk::Secret(text));
    }
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::SecretParse, describe() + ": the answer is not Vault's JSON");
  }
  if (out.empty()) return sdk::Error(sdk::ErrorCode::SecretNotFound, describe() + ": the secret has no fields");
  if (lease > 0) {
    std::lock_guard lock(mutex_);
    cached_ = std::move(keep);
    cachedUntil_ = now + std::chrono::seconds(lease);
  }
  return out;
}

}  // namespace ekaci::plugins::credentials
