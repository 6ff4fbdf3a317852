#pragma once

#include <cstddef>

#include "ekaci/sdk/HttpClient.h"

namespace ekaci::services {

// HttpClient over Poco::Net (HTTP) and Poco::NetSSL (HTTPS, verified against the system
// CA bundle). Response bodies are capped so that a misbehaving server cannot exhaust memory.
class PocoHttpClient : public sdk::HttpClient {
 public:
  explicit PocoHttpClient(std::size_t maxResponseBytes = std::size_t{64} * 1024 * 1024);
  ~PocoHttpClient() override;
  sdk::Result<sdk::HttpResponse> send(const sdk::HttpRequest& request) override;

 private:
  std::size_t maxResponseBytes_;
};

}  // namespace ekaci::services
