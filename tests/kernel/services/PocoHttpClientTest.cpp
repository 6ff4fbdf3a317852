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
