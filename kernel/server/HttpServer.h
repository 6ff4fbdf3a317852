#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/Result.h"
#include "kernel/server/Router.h"

namespace ekaci::server {

class HttpConnection;

// The HTTP listener in front of a Router. One event-loop thread owns every connection:
// reading a request head and body, waiting between keep-alive requests and writing replies
// cost no thread, so connections that trickle or idle cannot starve the others. A complete
// request goes to a small pool of handler threads. Every request has deadlines (its head, then
// its body, each from its first byte), bodies over the limit are refused with 413 before they
// are read, and each client address may hold only so many connections at once.
//
// Threading: start() and stop() from one thread; the Router is called from the handler threads.
class HttpServer {
 public:
  struct Limits {
    std::size_t maxBodyBytes = std::size_t{2} * 1024 * 1024;
    std::size_t maxHeadBytes = std::size_t{64} * 1024;
    std::chrono::milliseconds headTimeout{10000};       // request line and headers, in total
    std::chrono::milliseconds bodyTimeout{30000};       // the body, in total; also the reply
    std::chrono::milliseconds keepAliveTimeout{10000};  // idle between requests
    std::size_t maxConnections = 1024;
    std::size_t maxConnectionsPerAddress = 32;
    std::size_t handlerThreads = 4;
  };

  HttpServer(const Router& router, sdk::Logger& logger, sdk::Metrics& metrics, Limits limits);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  sdk::Result<void> start(const std::string& address, std::uint16_t port);
  void stop();
  std::uint16_t port() const noexcept { return port_; }

 private:
  friend class HttpConnection;
  struct State;

  void accept();
  // Called by connections: a connection of `address` ended (any thread); a reply was sent.
  void finished(const std::string& address);
  void observe(int status, std::chrono::steady_clock::time_point started);
  // The Router's reply, from a handler thread; an exception is a 500, never a dead server.
  HttpReply handle(HttpExchange exchange) const;

  const Router& router_;
  sdk::Logger& logger_;
  sdk::Metrics& metrics_;
  Limits limits_;
  std::unique_ptr<State> state_;
  std::uint16_t port_ = 0;
};

}  // namespace ekaci::server
