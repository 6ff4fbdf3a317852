#include "kernel/server/Router.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/UntrustedText.h"

namespace ekaci::server {

TEST(RouterTest, MatchesLiteralAndPlaceholderSegments) {
  Router router;
  router.add("GET", "/v1/builds/{drv}", [](const HttpExchange& e) { return HttpReply::json(200, e.params.at("drv")); });
  router.add("GET", "/health", [](const HttpExchange&) { return HttpReply::json(200, "ok"); });
  EXPECT_EQ(router.dispatch({"GET", "/v1/builds/abc-hello.drv", "", {}, {}}).body, "abc-hello.drv");
  EXPECT_EQ(router.dispatch({"GET", "/health?verbose=1", "", {}, {}}).body, "ok");
  EXPECT_EQ(router.dispatch({"HEAD", "/health", "", {}, {}}).status, 200);
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  router.add("GET", "/health", [](const HttpExchange&) { return HttpReply::json(200, "ok"); });
  HttpReply reply = router.dispatch({"POST", "/health", "", {}, {}});
  EXPECT_EQ(reply.status, 405);
  ASSERT_EQ(reply.headers.size(), 1u);
  EXPECT_EQ(reply.headers[0], (std::pair<std::string, std::string>{"Allow", "GET"}));
}

TEST(RouterTest, UnknownPathIsAJson404) {
  Router router;
  HttpReply reply = router.dispatch({"GET", "/nope", "", {}, {}});
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(reply.body, R"({"error":{"code":1002,"message":"no such endpoint: /nope","name":"not_found"}})");
}

// A request path with bytes that are not UTF-8 is echoed in the error: the body stays valid.
TEST(RouterTest, EveryJsonBodyIsValidUtf8) {
  Router router;
  HttpReply reply = router.dispatch({"GET", "/nope\xFF\xC0", "", {}, {}});
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(sdk::UntrustedText::validUtf8(reply.body), reply.body);
  EXPECT_NE(reply.body.find("/nope\xEF\xBF\xBD\xEF\xBF\xBD"), std::string::npos) << reply.body;
}

}  // namespace ekaci::server
