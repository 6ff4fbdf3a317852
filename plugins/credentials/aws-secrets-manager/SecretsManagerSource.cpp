#include "SecretsManagerSource.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <sstream>

#include "credkit/AwsSigV4.h"

namespace ekaci::plugins::credentials {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string jsonString(const std::string& text) {
  Poco::JSON::Object o;
  o.set("SecretId", text);
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace

sdk::Result<sdk::Credentials> SecretsManagerSource::fetch() {
  std::string region = settings_.region;
  if (region.empty()) region = environment("AWS_REGION");
  if (region.empty()) region = environment("AWS_DEFAULT_REGION");
  if (region.empty()) {
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                      describe() + ": no region (set region, or AWS_REGION in the server's environment)");
  }
  std::string endpoint =
      settings_.endpoint.empty() ? "https://secretsmanager." + region + ".amazonaws.com" : settings_.endpoint;
  const auto scheme = endpoint.find("://");
  const std::string authority = endpoint.substr(scheme + 3, endpoint.find('/', scheme + 3) - scheme - 3);

  // The server's own AWS identity.
  sdk::Credentials identity;
  if (!environment("AWS_ACCESS_KEY_ID").empty() && !environment("AWS_SECRET_ACCESS_KEY").empty()) {
    identity.set("AWS_ACCESS_KEY_ID", sdk::Secret(environment("AWS_ACCESS_KEY_ID")));
    identity.set("AWS_SECRET_ACCESS_KEY", sdk::Secret(environment("AWS_SECRET_ACCESS_KEY")));
    if (!environment("AWS_SESSION_TOKEN").empty()) {
      identity.set("AWS_SESSION_TOKEN", sdk::Secret(environment("AWS_SESSION_TOKEN")));
    }
  } else {
    auto role = metadata_.credentials();
    if (!role) {
      return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable,
                        describe() + ": no AWS identity (AWS_ACCESS_KEY_ID unset; " + role.error().message() + ")");
    }
    identity = std::move(role).value();
  }

  AwsSigV4::Request signing;
  signing.method = "POST";
  signing.path = "/";
  signing.payload = jsonString(settings_.secretName);
  const std::string date = AwsSigV4::amzDate(host_.clock().now());
  signing.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                     {"Host", authority},
                     {"X-Amz-Date", date},
                     {"X-Amz-Target", "secretsmanager.GetSecretValue"}};
  if (const auto* token = identity.find("AWS_SESSION_TOKEN")) {
    signing.headers.emplace_back("X-Amz-Security-Token", std::string(token->reveal()));
  }
  const AwsSigV4::Key key{std::string(identity.find("AWS_ACCESS_KEY_ID")->reveal()),
                          std::string(identity.find("AWS_SECRET_ACCESS_KEY")->reveal()), region, "secretsmanager"};
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = endpoint + "/";
  request.body = signing.payload;
  for (const auto& header : signing.headers) {
    if (header.first != "Host") request.headers.push_back(header);
  }
  request.headers.emplace_back("Authorization", AwsSigV4::authorization(signing, key, date));
  auto response = host_.http().send(request);
  if (!response)
    return sdk::Error(sdk::ErrorCode::SecretSourceUnavailable, describe() + ": " + response.error().message());

  Poco::JSON::Object::Ptr body;
  try {
    Poco::JSON::Parser parser;
    body = parser.parse(response->body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::SecretParse,
                      describe() + ": the answer (" + std::to_string(response->status) + ") is not JSON");
  }
  if (response->status != 200) {
    std::string type = body->optValue<std::string>("__type", "");
    type = type.substr(type.rfind('#') == std::string::npos ? 0 : type.rfind('#') + 1);
    const std::string message = body->optValue<std::string>("message", body->optValue<std::string>("Message", ""));
    const auto code =
        type == "ResourceNotFoundException" ? sdk::ErrorCode::SecretNotFound : sdk::ErrorCode::SecretSourceUnavailable;
    return sdk::Error(code, describe() + ": " + (type.empty() ? std::to_string(response->status) : type) +
                                (message.empty() ? "" : " (" + message + ")"));
  }
  const std::string secret = body->optValue<std::string>("SecretString", "");
  if (secret.empty()) {
    return sdk::Error(sdk::ErrorCode::SecretParse, describe() + " has no SecretString (binary secrets are not read)");
  }
  sdk::Credentials out;
  if (!settings_.key.empty()) {
    out.set(settings_.key, sdk::Secret(secret));
    return out;
  }
  try {
    Poco::JSON::Parser parser;
    auto fields = parser.parse(secret).extract<Poco::JSON::Object::Ptr>();
    for (const auto& name : fields->getNames()) {
      const auto value = fields->get(name);
      out.set(name, sdk::Secret(value.isString() ? value.extract<std::string>() : value.toString()));
    }
  } catch (const std::exception&) {
    return sdk::Error(sdk::ErrorCode::SecretParse,
                      describe() + ": SecretString is not a JSON object (set key to read it as one value)");
  }
  if (out.empty()) return sdk::Error(sdk::ErrorCode::SecretNotFound, describe() + " has no fields");
  return out;
}

}  // namespace ekaci::plugins::credentials
