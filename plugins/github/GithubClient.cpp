#include "GithubClient.h"

#include "forgekit/RestClient.h"

namespace ekaci::github {
using forgekit::RestClient;

sdk::Error GithubClient::errorOf(const sdk::HttpResponse& response, const std::string& what,
                                 std::chrono::system_clock::time_point now) {
  const std::string message =
      what + ": GitHub answered " + std::to_string(response.status) + ": " + RestClient::messageOf(response.body);
  const int status = response.status;
  if (status == 403 || status == 429) {
    if (auto after = RestClient::integer(response.header("Retry-After"))) {
      return sdk::Error(sdk::ErrorCode::ForgeRateLimited, message).withRetryAfter(std::chrono::seconds(*after));
    }
    if (response.header("X-RateLimit-Remaining") == "0") {
      if (auto reset = RestClient::integer(response.header("X-RateLimit-Reset"))) {
        const auto seconds = *reset - std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
        return sdk::Error(sdk::ErrorCode::ForgeRateLimited, message)
            .withRetryAfter(std::chrono::seconds(std::max<std::int64_t>(1, seconds)));
      }
    }
    if (status == 429 || message.find("secondary rate limit") != std::string::npos) {
      // GitHub: without a Retry-After, wait at least a minute.
      return sdk::Error(sdk::ErrorCode::ForgeRateLimited, message).withRetryAfter(std::chrono::seconds(60));
    }
    return sdk::Error(sdk::ErrorCode::ForgeAuthentication, message);
  }
  if (status == 401) return sdk::Error(sdk::ErrorCode::ForgeAuthentication, message);
  if (status == 404) return sdk::Error(sdk::ErrorCode::NotFound, message);
  if (status == 422) return sdk::Error(sdk::ErrorCode::InvalidArgument, message);
  return sdk::Error(sdk::ErrorCode::ForgeApi, message);
}

sdk::Result<std::string> GithubClient::call(const std::string& method, const std::string& url,
                                            const std::string& authorization, const std::string& body,
                                            const std::map<int, sdk::ErrorCode>& meaning) {
  sdk::HttpRequest request;
  request.method = method;
  request.url = url;
  request.headers = {
      {"Accept", "application/vnd.github+json"}, {"X-GitHub-Api-Version", "2022-11-28"}, {"User-Agent", "eka-ci"}};
  if (!authorization.empty()) request.headers.emplace_back("Authorization", authorization);
  if (!body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body;
  }
  request.timeout = std::chrono::seconds(30);
  auto response = host_.http().send(request);
  if (!response) return std::move(response).error();
  if (auto remaining = RestClient::integer(response->header("X-RateLimit-Remaining"))) {
    host_.metrics()
        .gauge("github_rate_limit_remaining", "Requests left in GitHub's current rate-limit window.", {})
        .set(static_cast<double>(*remaining));
  }
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  if (auto special = meaning.find(response->status); special != meaning.end()) {
    const sdk::Error general = errorOf(*response, method + " " + url.substr(0, url.find('?')), host_.clock().now());
    return sdk::Error(special->second, general.message());
  }
  return errorOf(*response, method + " " + url.substr(0, url.find('?')), host_.clock().now());
}

}  // namespace ekaci::github
