#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ekaci::server {

struct HttpExchange {
  std::string method;
  std::string path;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::map<std::string, std::string> params;  // from {name} segments of the route
};

struct HttpReply {
  int status = 200;
  std::string contentType = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static HttpReply json(int status, const std::string& body);
  // {"error":{"code":N,"name":"...","message":"..."}}
  static HttpReply error(int status, int code, const std::string& name, const std::string& message);
};

// Maps (method, path pattern) to handlers. Patterns are literal segments and {name}
// placeholders: "/v1/builds/{drv}". A path that matches with another method answers 405
// with an Allow header; no match answers 404.
class Router {
 public:
  using Handler = std::function<HttpReply(const HttpExchange&)>;

  void add(std::string method, const std::string& pattern, Handler handler);
  HttpReply dispatch(HttpExchange exchange) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  static std::vector<std::string> split(const std::string& path);
  static bool match(const Route& route, const std::vector<std::string>& segments,
                    std::map<std::string, std::string>& params);

  std::vector<Route> routes_;
};

}  // namespace ekaci::server
