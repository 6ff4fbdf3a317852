#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/HttpClient.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::forgekit {

// Calls to one forge's REST API (Gitea's /api/v1, GitLab's /api/v4) and their answers as
// results: 2xx is the body; 429 (or a 403 with Retry-After) is ForgeRateLimited with
// retryAfter() from Retry-After or RateLimit-Reset; 401 and other 403s ForgeAuthentication;
// 404 NotFound; 400 and 422 InvalidArgument; 409 a conflict to retry shortly; other
// statuses ForgeApi quoting the forge's message. Transport errors stay what they are.
class RestClient {
 public:
  // `forge` names the forge in messages ("Gitea"); `apiUrl` is the API base without a
  // trailing slash; `headers` go with every request (authentication among them).
  RestClient(sdk::HostServices& host, std::string forge, std::string apiUrl);

  // `path` starts with '/', already percent-encoded. `meaning` gives statuses the meaning
  // of the endpoint called (a merge's 405, 409) before the general mapping.
  sdk::Result<std::string> call(const std::string& method, const std::string& path, const sdk::HttpHeaders& headers,
                                const std::string& body = "", const std::map<int, sdk::ErrorCode>& meaning = {});

  // A header's integer (Retry-After, RateLimit-Reset); nothing when it is not one.
  static std::optional<std::int64_t> integer(const std::string& text);
  // The forge's message in an error answer ({"message": …} or {"error": …}), short.
  static std::string messageOf(const std::string& body);

  static sdk::Error errorOf(const sdk::HttpResponse& response, const std::string& forge, const std::string& what,
                            std::chrono::system_clock::time_point now);

 private:
  sdk::HostServices& host_;
  std::string forge_;
  std::string apiUrl_;
};

}  // namespace ekaci::forgekit
