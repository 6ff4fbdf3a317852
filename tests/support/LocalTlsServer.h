#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "tests/support/TestCertificates.h"

namespace ekaci::testsupport {

// An HTTPS server on 127.0.0.1 that answers every request 200 with `body` and counts them;
// with `requireClientCertificate`, a client without a certificate signed by the test CA
// cannot complete the handshake.
class LocalTlsServer {
 public:
  LocalTlsServer(const TestCertificates& certificates, bool requireClientCertificate, std::string body = "tls ok");
  ~LocalTlsServer();
  LocalTlsServer(const LocalTlsServer&) = delete;
  LocalTlsServer& operator=(const LocalTlsServer&) = delete;

  std::string base() const { return "https://127.0.0.1:" + std::to_string(port_); }
  std::string url() const { return base() + "/v1/probe"; }
  int answered() const { return answered_.load(); }

  class Handler;

 private:
  std::string body_;
  std::atomic<int> answered_{0};
  std::uint16_t port_ = 0;
  Poco::ThreadPool threads_{1, 4};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace ekaci::testsupport
