#include "kernel/server/Router.h"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "ekaci/sdk/UntrustedText.h"

namespace ekaci::server {

HttpReply HttpReply::json(int status, const std::string& body) {
  HttpReply reply;
  reply.status = status;
  reply.body = sdk::UntrustedText::validUtf8(body);  // every JSON body is valid UTF-8
  return reply;
}

HttpReply HttpReply::error(int status, int code, const std::string& name, const std::string& message) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
  error->set("code", code);
  error->set("name", name);
  error->set("message", message);
  Poco::JSON::Object root;
  root.set("error", error);
  std::ostringstream out;
  root.stringify(out);
  return json(status, out.str());
}

std::vector<std::string> Router::split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

void Router::add(std::string method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), split(pattern), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& segments,
                   std::map<std::string, std::string>& params) {
  if (route.segments.size() != segments.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      found[want.substr(1, want.size() - 2)] = segments[i];
    } else if (want != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

HttpReply Router::dispatch(HttpExchange exchange) const {
  auto query = exchange.path.find('?');
  const auto segments = split(query == std::string::npos ? exchange.path : exchange.path.substr(0, query));
  std::string allowed;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    if (!match(route, segments, params)) continue;
    if (route.method == exchange.method || (exchange.method == "HEAD" && route.method == "GET")) {
      exchange.params = std::move(params);
      return route.handler(exchange);
    }
    allowed += (allowed.empty() ? "" : ", ") + route.method;
  }
  if (!allowed.empty()) {
    HttpReply reply =
        HttpReply::error(405, 1004, "unsupported", exchange.method + " is not allowed on " + exchange.path);
    reply.headers.emplace_back("Allow", allowed);
    return reply;
  }
  return HttpReply::error(404, 1002, "not_found", "no such endpoint: " + exchange.path);
}

}  // namespace ekaci::server
