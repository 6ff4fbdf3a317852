#include "forgekit/RestClient.h"

#include <algorithm>
#include <charconv>

#include "forgekit/JsonFields.h"

namespace ekaci::forgekit {

std::optional<std::int64_t> RestClient::integer(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string RestClient::messageOf(const std::string& body) {
  auto object = JsonFields::parseObject(body, "answer");
  if (object) {
    for (const char* key : {"message", "error", "errors"}) {
      std::string text = JsonFields::text(*object, key);
      if (!text.empty()) return text.substr(0, 300);
    }
    if ((*object)->has("message")) return (*object)->get("message").toString().substr(0, 300);
  }
  return body.substr(0, 200);
}

RestClient::RestClient(sdk::HostServices& host, std::string forge, std::string apiUrl)
    : host_(host), forge_(std::move(forge)), apiUrl_(std::move(apiUrl)) {
  while (!apiUrl_.empty() && apiUrl_.back() == '/') apiUrl_.pop_back();
}

sdk::Error RestClient::errorOf(const sdk::HttpResponse& response, const std::string& forge, const std::string& what,
                               std::chrono::system_clock::time_point now) {
  const int status = response.status;
  const std::string message =
      what + ": " + forge + " answered " + std::to_string(status) + ": " + messageOf(response.body);
  const auto retryAfter = [&]() -> std::optional<std::chrono::seconds> {
    if (auto after = integer(response.header("Retry-After")))
      return std::chrono::seconds(std::max<std::int64_t>(1, *after));
    if (auto reset = integer(response.header("RateLimit-Reset"))) {
      const auto seconds = *reset - std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
      return std::chrono::seconds(std::max<std::int64_t>(1, seconds));
    }
    return std::nullopt;
  }();
  if (status == 429 || (status == 403 && retryAfter)) {
    return sdk::Error(sdk::ErrorCode::ForgeRateLimited, message)
        .withRetryAfter(retryAfter.value_or(std::chrono::seconds(60)));
  }
  if (status == 401 || status == 403) return sdk::Error(sdk::ErrorCode::ForgeAuthentication, message);
  if (status == 404) return sdk::Error(sdk::ErrorCode::NotFound, message);
  if (status == 400 || status == 422) return sdk::Error(sdk::ErrorCode::InvalidArgument, message);
  if (status == 409) {
    // A concurrent update of the same thing (GitLab statuses): worth another try soon.
    return sdk::Error(sdk::ErrorCode::ForgeApi, message).withRetryAfter(std::chrono::seconds(1));
  }
  return sdk::Error(sdk::ErrorCode::ForgeApi, message);
}

sdk::Result<std::string> RestClient::call(const std::string& method, const std::string& path,
                                          const sdk::HttpHeaders& headers, const std::string& body,
                                          const std::map<int, sdk::ErrorCode>& meaning) {
  sdk::HttpRequest request;
  request.method = method;
  request.url = apiUrl_ + path;
  request.headers = {{"Accept", "application/json"}, {"User-Agent", "eka-ci"}};
  request.headers.insert(request.headers.end(), headers.begin(), headers.end());
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  request.timeout = std::chrono::seconds(30);
  auto response = host_.http().send(request);
  if (!response) return std::move(response).error();
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  const std::string what = method + " " + path.substr(0, path.find('?'));
  sdk::Error general = errorOf(*response, forge_, what, host_.clock().now());
  if (auto special = meaning.find(response->status); special != meaning.end()) {
    return sdk::Error(special->second, general.message());
  }
  return general;
}

}  // namespace ekaci::forgekit
