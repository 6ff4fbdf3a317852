#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
};

struct EKACI_SDK_API HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  // Case-insensitive header lookup; empty when absent.
  std::string header(std::string_view name) const;
};

// Outbound HTTP(S). The kernel implements it with one TLS configuration for the whole
// server; tests script it with sdk::testing::FakeHttpClient.
//
// Threading: send() may be called from any thread, concurrently.
// Ownership: the request is borrowed for the call; the response is owned by the caller.
// Errors: transport failures are errors (HttpConnect, HttpTimeout, HttpBadUrl); any HTTP
// status, including 4xx/5xx, is a successful Result carrying that status.
class EKACI_SDK_API HttpClient {
 public:
  virtual ~HttpClient();
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

}  // namespace ekaci::sdk
