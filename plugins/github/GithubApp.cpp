#include "GithubApp.h"

#include <Poco/Crypto/RSAKey.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <fnmatch.h>

#include <ctime>
#include <iomanip>
#include <sstream>

#include "GithubClient.h"
#include "GithubTime.h"

namespace ekaci::github {
namespace {

// GitHub's own examples and many deployments put the PEM in one line with "\n" escapes.
std::string unescapeNewlines(std::string_view pem) {
  std::string out;
  for (std::size_t i = 0; i < pem.size(); ++i) {
    if (pem[i] == '\\' && i + 1 < pem.size() && pem[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else {
      out.push_back(pem[i]);
    }
  }
  return out;
}

}  // namespace

GithubApp::GithubApp(Settings settings, sdk::HostServices& host) : settings_(std::move(settings)), host_(host) {}

bool GithubApp::allows(const std::string& fullName) const {
  if (settings_.allowAll) return true;
  for (const auto& pattern : settings_.allowedRepos) {
    if (::fnmatch(pattern.c_str(), fullName.c_str(), 0) == 0) return true;
  }
  return false;
}

std::string GithubApp::appId() {
  std::lock_guard lock(mutex_);
  return appId_;
}

sdk::Result<void> GithubApp::loadKey() {
  if (key_) return sdk::success();
  if (settings_.credentials.isNull()) {
    return sdk::Error(sdk::ErrorCode::ForgeAuthentication,
                      "GitHub App '" + settings_.id + "' has no credentials (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)");
  }
  auto credentials = host_.secrets().resolve(settings_.credentials);
  if (!credentials)
    return std::move(credentials).error().withContext("credentials of GitHub App '" + settings_.id + "'");
  const sdk::Secret* id = credentials->find("GITHUB_APP_ID");
  const sdk::Secret* key = credentials->find("GITHUB_APP_PRIVATE_KEY");
  if (id == nullptr || key == nullptr) {
    return sdk::Error(sdk::ErrorCode::ConfigMissingKey, "the credentials of GitHub App '" + settings_.id +
                                                            "' need GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY");
  }
  appId_ = std::string(id->reveal());
  key_ = sdk::Secret(unescapeNewlines(key->reveal()));
  return sdk::success();
}

sdk::Result<std::string> GithubApp::appAuthorization() {
  std::lock_guard lock(mutex_);
  const auto now = host_.clock().now();
  if (!jwt_.empty() && now + std::chrono::minutes(1) < jwtExpires_) return "Bearer " + jwt_;
  if (auto loaded = loadKey(); !loaded) return std::move(loaded).error();
  try {
    std::istringstream pem{std::string(key_->reveal())};
    Poco::SharedPtr<Poco::Crypto::RSAKey> rsa(new Poco::Crypto::RSAKey(nullptr, &pem));
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setIssuer(appId_);
    const auto issued = now - std::chrono::seconds(60);  // clocks drift; GitHub allows it
    const auto expires = now + std::chrono::minutes(9);  // GitHub's maximum is 10
    token.setIssuedAt(Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(issued)));
    token.setExpiration(Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(expires)));
    Poco::JWT::Signer signer(rsa);
    jwt_ = signer.sign(token, Poco::JWT::Signer::ALGO_RS256);
    jwtExpires_ = expires;
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::ForgeAuthentication,
                      "GitHub App '" + settings_.id + "': the private key cannot sign (" + e.className() + ")");
  }
  return "Bearer " + jwt_;
}

sdk::Result<std::string> GithubApp::installationOf(const sdk::RepositoryRef& repository) {
  if (!repository.installationId.empty()) return repository.installationId;
  {
    std::lock_guard lock(mutex_);
    if (auto found = installations_.find(repository.fullName()); found != installations_.end()) return found->second;
  }
  auto authorization = appAuthorization();
  if (!authorization) return std::move(authorization).error();
  GithubClient client(host_);
  auto body = client.call(
      "GET", settings_.apiUrl + "/repos/" + repository.owner + "/" + repository.name + "/installation", *authorization);
  if (!body) return std::move(body).error();
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*body).extract<Poco::JSON::Object::Ptr>();
    const std::string id = object->get("id").convert<std::string>();
    std::lock_guard lock(mutex_);
    installations_[repository.fullName()] = id;
    return id;
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::ForgeApi, "GitHub's installation answer has no id");
  }
}

sdk::Result<sdk::Secret> GithubApp::installationToken(const sdk::RepositoryRef& repository) {
  auto installation = installationOf(repository);
  if (!installation) return std::move(installation).error();
  {
    std::lock_guard lock(mutex_);
    auto cached = tokens_.find(*installation);
    if (cached != tokens_.end() && host_.clock().now() + std::chrono::minutes(5) < cached->second.expires) {
      return cached->second.value.duplicate();
    }
  }
  auto authorization = appAuthorization();
  if (!authorization) return std::move(authorization).error();
  GithubClient client(host_);
  auto body =
      client.call("POST", settings_.apiUrl + "/app/installations/" + *installation + "/access_tokens", *authorization);
  if (!body) return std::move(body).error();
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(*body).extract<Poco::JSON::Object::Ptr>();
    sdk::Secret token(object->getValue<std::string>("token"));
    auto expires = GithubTime::parse(object->optValue<std::string>("expires_at", ""))
                       .value_or(std::chrono::system_clock::time_point{});
    if (expires == std::chrono::system_clock::time_point{}) expires = host_.clock().now() + std::chrono::minutes(50);
    std::lock_guard lock(mutex_);
    auto& slot = tokens_[*installation];
    slot.value = token.duplicate();
    slot.expires = expires;
    return token;
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::ForgeApi, "GitHub's access-token answer has no token");
  }
}

void GithubApp::forgetToken(const sdk::RepositoryRef& repository) {
  std::lock_guard lock(mutex_);
  if (!repository.installationId.empty()) tokens_.erase(repository.installationId);
  if (auto found = installations_.find(repository.fullName()); found != installations_.end()) {
    tokens_.erase(found->second);
  }
}

}  // namespace ekaci::github
