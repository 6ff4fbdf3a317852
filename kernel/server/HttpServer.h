#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "ekaci/sdk/Result.h"
#include "kernel/server/Router.h"

namespace Poco::Net {
class HTTPServer;
}

namespace ekaci::server {

// The HTTP listener: Poco's threaded HTTPServer in front of a Router. Bodies over the
// limit are refused with 413 before they are read; idle and slow connections time out, so
// one client cannot starve the others.
class HttpServer {
 public:
  struct Limits {
    std::size_t maxBodyBytes = std::size_t{2} * 1024 * 1024;
    // Threads are cheap next to a stalled API: slow clients each hold one only until the
    // socket timeout, and many can stall at once before health checks would queue.
    int maxThreads = 64;
    int maxQueued = 256;
    int socketTimeoutSeconds = 10;
  };

  HttpServer(const Router& router, sdk::Logger& logger, sdk::Metrics& metrics, Limits limits);
  ~HttpServer();

  sdk::Result<void> start(const std::string& address, std::uint16_t port);
  void stop();
  std::uint16_t port() const noexcept { return port_; }

 private:
  const Router& router_;
  sdk::Logger& logger_;
  sdk::Metrics& metrics_;
  Limits limits_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::uint16_t port_ = 0;
};

}  // namespace ekaci::server
