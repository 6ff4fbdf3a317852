#include "kernel/server/HttpServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>

namespace ekaci::server {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  Handler(const Router& router, sdk::Metrics& metrics, std::size_t maxBody)
      : router_(router), metrics_(metrics), maxBody_(maxBody) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    HttpReply reply;
    if (request.hasContentLength() && request.getContentLength64() > static_cast<std::int64_t>(maxBody_)) {
      reply = HttpReply::error(413, 6005, "http.payload_too_large",
                               "request body exceeds " + std::to_string(maxBody_) + " bytes");
      response.setKeepAlive(false);
    } else {
      HttpExchange exchange;
      exchange.method = request.getMethod();
      exchange.path = request.getURI();
      for (const auto& [name, value] : request) exchange.headers.emplace_back(name, value);
      std::istream& in = request.stream();
      char buffer[16384];
      bool tooLarge = false;
      while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        exchange.body.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (exchange.body.size() > maxBody_) {
          tooLarge = true;
          break;
        }
      }
      if (tooLarge) {
        reply = HttpReply::error(413, 6005, "http.payload_too_large",
                                 "request body exceeds " + std::to_string(maxBody_) + " bytes");
        response.setKeepAlive(false);
      } else {
        reply = router_.dispatch(std::move(exchange));
      }
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.setContentType(reply.contentType);
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
    if (request.getMethod() == "HEAD") {
      response.send();
    } else {
      response.send().write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.counter("http_requests_total", "HTTP requests by status code.", {{"code", std::to_string(reply.status)}})
        .increment();
    metrics_.histogram("http_request_duration_seconds", "HTTP request handling time.", {},
                       {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5})
        .observe(seconds);
  }

 private:
  const Router& router_;
  sdk::Metrics& metrics_;
  std::size_t maxBody_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const Router& router, sdk::Metrics& metrics, std::size_t maxBody)
      : router_(router), metrics_(metrics), maxBody_(maxBody) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(router_, metrics_, maxBody_);
  }

 private:
  const Router& router_;
  sdk::Metrics& metrics_;
  std::size_t maxBody_;
};

}  // namespace

HttpServer::HttpServer(const Router& router, sdk::Logger& logger, sdk::Metrics& metrics, Limits limits)
    : router_(router), logger_(logger), metrics_(metrics), limits_(limits) {}

HttpServer::~HttpServer() { stop(); }

sdk::Result<void> HttpServer::start(const std::string& address, std::uint16_t port) {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(address, port), 64);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(limits_.maxThreads);
    params->setMaxQueued(limits_.maxQueued);
    params->setTimeout(Poco::Timespan(limits_.socketTimeoutSeconds, 0));
    params->setKeepAliveTimeout(Poco::Timespan(limits_.socketTimeoutSeconds, 0));
    params->setMaxKeepAliveRequests(100);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(router_, metrics_, limits_.maxBodyBytes), socket,
                                                      params);
    server_->start();
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::IoError,
                      "cannot listen on " + address + ":" + std::to_string(port) + ": " + e.displayText());
  }
  logger_.info("HTTP server listening", {{"address", address}, {"port", std::to_string(port_)}});
  return sdk::success();
}

void HttpServer::stop() {
  if (!server_) return;
  server_->stopAll(true);
  server_.reset();
}

}  // namespace ekaci::server
