#include "ekaci/sdk/testing/FakeHttpClient.h"

namespace ekaci::sdk::testing {

void FakeHttpClient::respond(std::string method, std::string url, int status, std::string body, HttpHeaders headers) {
  std::lock_guard lock(mutex_);
  Scripted s;
  s.method = std::move(method);
  s.url = std::move(url);
  s.response.status = status;
  s.response.body = std::move(body);
  s.response.headers = std::move(headers);
  script_.push_back(std::move(s));
}

void FakeHttpClient::failWith(std::string method, std::string url, const Error& error) {
  std::lock_guard lock(mutex_);
  Scripted s;
  s.method = std::move(method);
  s.url = std::move(url);
  s.isError = true;
  s.errorCode = error.code();
  s.errorMessage = error.message();
  script_.push_back(std::move(s));
}

Result<HttpResponse> FakeHttpClient::send(const HttpRequest& request) {
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  Scripted* last = nullptr;
  for (auto& s : script_) {
    if (s.method != request.method || s.url != request.url) continue;
    last = &s;
    if (!s.used) break;
  }
  if (last == nullptr) {
    return Error(ErrorCode::HttpConnect, "no scripted response for " + request.method + " " + request.url);
  }
  last->used = true;
  if (last->isError) return Error(last->errorCode, last->errorMessage);
  return last->response;
}

std::vector<HttpRequest> FakeHttpClient::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t FakeHttpClient::requestCount() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

}  // namespace ekaci::sdk::testing
