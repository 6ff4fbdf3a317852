#pragma once

#include <map>
#include <string>

#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/HttpClient.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::github {

// One call to GitHub's REST API with the headers GitHub asks for, and its answer as a
// result: 2xx is the body; rate limits (403/429 with Retry-After, or an exhausted
// X-RateLimit-Remaining with X-RateLimit-Reset, or GitHub's secondary-limit message) are
// ForgeRateLimited with retryAfter(); 401 is ForgeAuthentication; 404 NotFound; 422
// InvalidArgument; other statuses ForgeApi quoting GitHub's message. The remaining rate
// limit is published as a gauge.
class GithubClient {
 public:
  explicit GithubClient(sdk::HostServices& host) : host_(host) {}

  // `meaning` gives statuses a meaning of the endpoint called (PUT …/merge: 405 not
  // mergeable, 409 head changed) before the general mapping applies.
  sdk::Result<std::string> call(const std::string& method, const std::string& url, const std::string& authorization,
                                const std::string& body = "", const std::map<int, sdk::ErrorCode>& meaning = {});

  static sdk::Error errorOf(const sdk::HttpResponse& response, const std::string& what,
                            std::chrono::system_clock::time_point now);

 private:
  sdk::HostServices& host_;
};

}  // namespace ekaci::github
