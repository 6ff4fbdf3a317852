#include <gtest/gtest.h>

#include "ekaci/sdk/testing/FakeHostServices.h"

namespace ekaci::sdk::testing {

TEST(FakeHttpClientTest, AnswersInScriptOrderAndRecords) {
  FakeHttpClient http;
  http.respond("GET", "https://api.example/x", 200, "first");
  http.respond("GET", "https://api.example/x", 500, "second");
  HttpRequest request;
  request.url = "https://api.example/x";
  EXPECT_EQ(http.send(request)->body, "first");
  EXPECT_EQ(http.send(request)->status, 500);
  EXPECT_EQ(http.send(request)->status, 500) << "the last answer repeats";
  request.url = "https://api.example/unscripted";
  auto missing = http.send(request);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::HttpConnect);
  EXPECT_EQ(http.requestCount(), 4u);
}

TEST(FakeProcessRunnerTest, DeliversScriptedLines) {
  FakeProcessRunner runner;
  FakeProcessRunner::Scripted answer;
  answer.program = "nix-build";
  answer.result.exitCode = 1;
  answer.lines = {{OutputStream::Stderr, "error: boom"}};
  runner.script(answer);
  ProcessSpec spec;
  spec.argv = {"nix-build", "x.nix"};
  std::vector<std::string> seen;
  auto result = runner.run(spec, [&](OutputStream, std::string_view line) { seen.emplace_back(line); });
  ASSERT_TRUE(result);
  EXPECT_EQ(result->exitCode, 1);
  EXPECT_EQ(seen, std::vector<std::string>{"error: boom"});
  EXPECT_EQ(result->stderrText, "error: boom\n");
  EXPECT_EQ(runner.calls().size(), 1u);
  spec.argv = {"git"};
  EXPECT_FALSE(runner.run(spec));
}

TEST(FakeHostServicesTest, StateDirectoryIsFreshAndRemoved) {
  std::filesystem::path dir;
  {
    FakeHostServices host;
    dir = host.stateDirectory();
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    host.logger().info("hello", {{"k", "v"}});
    EXPECT_TRUE(host.capturedLogs().contains("hello"));
    EXPECT_TRUE(host.capturedLogs().contains("v"));
    host.metrics().counter("c_total", "", {{"a", "b"}}).increment(2);
    EXPECT_EQ(host.fakeMetrics().value("c_total", {{"a", "b"}}), 2.0);
    EXPECT_FALSE(host.fakeMetrics().value("c_total").has_value());
    auto before = host.clock().monotonic();
    host.clock().sleepFor(std::chrono::milliseconds(1500));
    EXPECT_EQ(host.clock().monotonic() - before, std::chrono::milliseconds(1500));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

}  // namespace ekaci::sdk::testing
