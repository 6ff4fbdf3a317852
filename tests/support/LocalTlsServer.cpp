#include "tests/support/LocalTlsServer.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>

namespace ekaci::testsupport {

class LocalTlsServer::Handler : public Poco::Net::HTTPRequestHandler, public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Handler(const std::string& body, std::atomic<int>& answered) : body_(body), answered_(answered) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new Handler(body_, answered_);
  }
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    ++answered_;
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("application/json");
    response.send() << body_;
  }

 private:
  const std::string& body_;
  std::atomic<int>& answered_;
};

LocalTlsServer::LocalTlsServer(const TestCertificates& certificates, bool requireClientCertificate, std::string body)
    : body_(std::move(body)) {
  Poco::Net::initializeSSL();
  Poco::Net::Context::Ptr context = new Poco::Net::Context(
      Poco::Net::Context::TLS_SERVER_USE, certificates.serverKey.string(), certificates.serverCert.string(),
      certificates.ca.string(),
      requireClientCertificate ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_NONE, 9, false);
  // A session id context: OpenSSL refuses client certificates on a server without one.
  context->enableSessionCache(true, "ekaci-test");
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(4);
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Handler(body_, answered_), threads_, socket, params);
  server_->start();
}

LocalTlsServer::~LocalTlsServer() {
  server_->stopAll(true);
  server_.reset();
  Poco::Net::uninitializeSSL();
}

}  // namespace ekaci::testsupport
