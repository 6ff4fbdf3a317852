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

// TLS of one https:// request beyond the server's defaults (PEM files; all optional).
struct HttpTls {
  std::string caFile;          // trust only the CAs in this bundle instead of the system's
  std::string clientCertFile;  // present this certificate (mutual TLS) ...
  std::string clientKeyFile;   // ... with this key; both or neither
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https:// URL
  HttpHeaders headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
  HttpTls tls;
};

struct EKACI_SDK_API HttpResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;

  // Case-insensitive header lookup; empty when absent.
  std::string header(std::string_view name) const;
};

// Outbound HTTP(S). The kernel verifies servers against the system's CA bundle unless a
// request names its own (HttpTls); tests script it with sdk::testing::FakeHttpClient.
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
