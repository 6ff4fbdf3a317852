#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "ekaci/sdk/HttpClient.h"

namespace ekaci::sdk::testing {

// An HttpClient that answers from a script and records every request.
// Responses for the same method + URL are handed out in the order they were scripted; the
// last one repeats. A request with no scripted response fails with HttpConnect.
class FakeHttpClient : public HttpClient {
 public:
  void respond(std::string method, std::string url, int status, std::string body, HttpHeaders headers = {});
  void failWith(std::string method, std::string url, const Error& error);

  Result<HttpResponse> send(const HttpRequest& request) override;

  std::vector<HttpRequest> requests() const;
  std::size_t requestCount() const;

 private:
  struct Scripted {
    std::string method;
    std::string url;
    bool isError = false;
    HttpResponse response;
    ErrorCode errorCode = ErrorCode::Ok;
    std::string errorMessage;
    bool used = false;
  };
  mutable std::mutex mutex_;
  std::vector<Scripted> script_;
  std::vector<HttpRequest> requests_;
};

}  // namespace ekaci::sdk::testing
