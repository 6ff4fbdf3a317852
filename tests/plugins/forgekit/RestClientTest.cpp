// A forge's answers as errors the kernel's outbox knows how to treat.
#include "forgekit/RestClient.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::forgekit {
namespace {

TEST(RestClientTest, SendsToTheApiBaseWithTheGivenHeaders) {
  sdk::testing::FakeHostServices host;
  host.fakeHttp().respond("POST", "http://127.0.0.1:1/api/v1/x", 201, R"({"id":1})");
  RestClient client(host, "Gitea", "http://127.0.0.1:1/api/v1/");
  auto answer = client.call("POST", "/x", {{"Authorization", "token t"}}, R"({"a":1})");
  ASSERT_TRUE(answer) << answer.error().describe();
  EXPECT_EQ(*answer, R"({"id":1})");
  const auto request = host.fakeHttp().requests().at(0);
  bool auth = false, type = false;
  for (const auto& [name, value] : request.headers) {
    auth = auth || (name == "Authorization" && value == "token t");
    type = type || (name == "Content-Type" && value == "application/json");
  }
  EXPECT_TRUE(auth);
  EXPECT_TRUE(type);
}

TEST(RestClientTest, StatusesBecomeTheSdksErrors) {
  const auto now = std::chrono::system_clock::from_time_t(1000);
  auto code = [&](int status, sdk::HttpHeaders headers = {}) {
    sdk::HttpResponse response;
    response.status = status;
    response.headers = std::move(headers);
    response.body = R"({"message":"why"})";
    return RestClient::errorOf(response, "GitLab", "GET /x", now);
  };
  EXPECT_EQ(code(401).code(), sdk::ErrorCode::ForgeAuthentication);
  EXPECT_EQ(code(403).code(), sdk::ErrorCode::ForgeAuthentication);
  EXPECT_EQ(code(404).code(), sdk::ErrorCode::NotFound);
  EXPECT_EQ(code(400).code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(code(422).code(), sdk::ErrorCode::InvalidArgument);
  EXPECT_EQ(code(502).code(), sdk::ErrorCode::ForgeApi);
  EXPECT_NE(code(502).message().find("why"), std::string::npos) << "the forge's message is quoted";

  const auto limited = code(429, {{"Retry-After", "7"}});
  EXPECT_EQ(limited.code(), sdk::ErrorCode::ForgeRateLimited);
  ASSERT_TRUE(limited.retryAfter());
  EXPECT_EQ(*limited.retryAfter(), std::chrono::seconds(7));
  const auto reset = code(429, {{"RateLimit-Reset", "1030"}});
  ASSERT_TRUE(reset.retryAfter());
  EXPECT_EQ(*reset.retryAfter(), std::chrono::seconds(30));
  const auto conflict = code(409);
  ASSERT_TRUE(conflict.retryAfter()) << "a concurrent update is tried again soon";
}

TEST(RestClientTest, AnEndpointsOwnMeaningComesFirst) {
  sdk::testing::FakeHostServices host;
  host.fakeHttp().respond("PUT", "http://h/m", 409, R"({"message":"SHA does not match HEAD of source branch"})");
  RestClient client(host, "GitLab", "http://h");
  auto answer = client.call("PUT", "/m", {}, "{}", {{409, sdk::ErrorCode::ForgeHeadChanged}});
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().code(), sdk::ErrorCode::ForgeHeadChanged);
}

}  // namespace
}  // namespace ekaci::forgekit
