#include "kernel/services/PocoHttpClient.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"
#include "kernel/server/HttpServer.h"

namespace ekaci::services {

class PocoHttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("POST", "/echo", [](const server::HttpExchange& e) {
      server::HttpReply reply = server::HttpReply::json(201, e.body);
      for (const auto& [k, v] : e.headers) {
        if (k == "X-Token") reply.headers.emplace_back("X-Seen-Token", v);
      }
      return reply;
    });
    router_.add("GET", "/path/{segment}",
                [](const server::HttpExchange& e) { return server::HttpReply::json(200, e.path); });
    router_.add("GET", "/big",
                [](const server::HttpExchange&) { return server::HttpReply::json(200, std::string(5000, 'x')); });
    server_ = std::make_unique<server::HttpServer>(router_, logger_, metrics_, server::HttpServer::Limits{});
    ASSERT_TRUE(server_->start("127.0.0.1", 0));
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }

  server::Router router_;
  sdk::testing::CapturingLogger logger_;
  sdk::testing::InMemoryMetrics metrics_;
  std::unique_ptr<server::HttpServer> server_;
  std::string base_;
};

TEST_F(PocoHttpClientTest, SendsMethodHeadersAndBody) {
  PocoHttpClient client;
  sdk::HttpRequest request;
  request.method = "POST";
  request.url = base_ + "/echo";
  request.headers = {{"X-Token", "abc"}};
  request.body = R"({"hello":"world"})";
  auto response = client.send(request);
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, request.body);
  EXPECT_EQ(response->header("x-seen-token"), "abc");
}

TEST_F(PocoHttpClientTest, TheTargetGoesAsWrittenWithUnsafeBytesEscaped) {
  PocoHttpClient client;
  sdk::HttpRequest request;
  request.method = "GET";
  request.url = base_ + "/path/a%2F..%2Fb?q=1#fragment";
  auto response = client.send(request);
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "/path/a%2F..%2Fb?q=1") << "an escaped '/' stays escaped; the fragment is not sent";
  request.url = base_ + "/path/a b\"";
  response = client.send(request);
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->body, "/path/a%20b%22");
}

TEST_F(PocoHttpClientTest, HttpErrorsAreResponsesNotFailures) {
  PocoHttpClient client;
  sdk::HttpRequest request;
  request.url = base_ + "/missing";
  auto response = client.send(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
}

TEST_F(PocoHttpClientTest, CapsResponseSize) {
  PocoHttpClient client(1000);
  sdk::HttpRequest request;
  request.url = base_ + "/big";
  auto response = client.send(request);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code(), sdk::ErrorCode::HttpPayloadTooLarge);
}

TEST(PocoHttpClientErrorsTest, BadUrlsAndRefusedConnections) {
  PocoHttpClient client;
  sdk::HttpRequest request;
  request.url = "ftp://example.com/x";
  EXPECT_EQ(client.send(request).error().code(), sdk::ErrorCode::HttpBadUrl);
  request.url = "not a url";
  EXPECT_EQ(client.send(request).error().code(), sdk::ErrorCode::HttpBadUrl);
  request.url = "http://127.0.0.1:1/nothing-listens-here";
  request.timeout = std::chrono::milliseconds(2000);
  auto refused = client.send(request);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::HttpConnect);
}

}  // namespace ekaci::services

#include "tests/support/LocalTlsServer.h"
#include "tests/support/TempDir.h"

namespace ekaci::services {

// TLS against a real HTTPS server on 127.0.0.1 with a throw-away CA.
class PocoHttpClientTlsTest : public ::testing::Test {
 protected:
  testsupport::TempDir dir_;
  testsupport::TestCertificates certificates_{dir_.path() / "pki"};
  PocoHttpClient client_;

  sdk::HttpRequest probe(const std::string& url) {
    sdk::HttpRequest request;
    request.url = url;
    request.timeout = std::chrono::seconds(10);
    return request;
  }
};

TEST_F(PocoHttpClientTlsTest, AServerIsTrustedThroughTheRequestsCaBundleOnly) {
  testsupport::LocalTlsServer server(certificates_, false);
  auto systemTrust = client_.send(probe(server.url()));
  ASSERT_FALSE(systemTrust) << "the system's CAs do not know the test CA";
  EXPECT_EQ(systemTrust.error().code(), sdk::ErrorCode::HttpConnect);

  auto request = probe(server.url());
  request.tls.caFile = certificates_.ca.string();
  auto trusted = client_.send(request);
  ASSERT_TRUE(trusted) << trusted.error().describe();
  EXPECT_EQ(trusted->status, 200);
  EXPECT_EQ(trusted->body, "tls ok");

  request.tls.caFile = certificates_.otherCa.string();
  auto other = client_.send(request);
  ASSERT_FALSE(other) << "a bundle replaces the trust store: another CA does not vouch for this server";
  EXPECT_EQ(server.answered(), 1);
}

TEST_F(PocoHttpClientTlsTest, MutualTlsPresentsTheClientCertificate) {
  testsupport::LocalTlsServer server(certificates_, true);
  auto request = probe(server.url());
  request.tls.caFile = certificates_.ca.string();
  EXPECT_FALSE(client_.send(request)) << "the server requires a client certificate";
  EXPECT_EQ(server.answered(), 0);
  request.tls.clientCertFile = certificates_.clientCert.string();
  request.tls.clientKeyFile = certificates_.clientKey.string();
  auto answered = client_.send(request);
  ASSERT_TRUE(answered) << answered.error().describe();
  EXPECT_EQ(answered->status, 200);
  EXPECT_EQ(server.answered(), 1);
}

TEST_F(PocoHttpClientTlsTest, BadTlsSettingsAreErrorsNotCrashes) {
  testsupport::LocalTlsServer server(certificates_, false);
  auto request = probe(server.url());
  request.tls.clientCertFile = certificates_.clientCert.string();
  auto halfPair = client_.send(request);
  ASSERT_FALSE(halfPair);
  EXPECT_EQ(halfPair.error().code(), sdk::ErrorCode::InvalidArgument);
  request.tls = {};
  request.tls.caFile = (dir_.path() / "missing.pem").string();
  auto missing = client_.send(request);
  ASSERT_FALSE(missing);
  EXPECT_EQ(server.answered(), 0);
}

}  // namespace ekaci::services
