// Webhook intake under load: the real eka-ci-server on loopback receives signed GitHub
// deliveries from several keep-alive connections as fast as it acknowledges them; every
// delivery is verified, parsed and stored before its answer. Prints sustained deliveries/s,
// acknowledgement latency percentiles, and whether every delivery was stored (from the
// server's own counter). Not a test: figures go to docs/PERFORMANCE.md.
//
//   build/bench/WebhookLoadBench [DELIVERIES] [CONNECTIONS]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/ServerProcess.h"
#include "tests/support/TempDir.h"

namespace {

constexpr const char* kSecret = "load-test-secret";

std::string sign(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(std::char_traits<char>::length(kSecret)),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "sha256=";
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t deliveries = argc > 1 ? std::stoul(argv[1]) : 20000;
  const std::size_t connections = argc > 2 ? std::stoul(argv[2]) : 8;
  ekaci::testsupport::TempDir dir;
  auto config = dir.write("ekaci.toml",
                          "[web]\nport = 0\nmax_connections_per_address = 256\n"
                          "[security]\nwebhook_secret = \"" +
                              std::string(kSecret) +
                              "\"\n"
                              "[[github_apps]]\nid = \"load\"\n",
                          0644);
  auto environment = ekaci::testsupport::isolatedEnvironment(dir.path());
  environment["EKACI_LOG"] = "warn";
  ekaci::testsupport::ServerProcess server(ekaci::testsupport::ServerProcess::Options{
      EKACI_SERVER_BINARY, {"--config", config.string()}, environment, dir.path()});
  if (!server.start()) {
    std::fprintf(stderr, "server did not start:\n%s\n", server.stderrText().c_str());
    return 1;
  }
  // A real ping payload's shape; each delivery has its own id and zen line.
  std::vector<std::pair<std::string, std::string>> bodies(deliveries);
  for (std::size_t i = 0; i < deliveries; ++i) {
    bodies[i].first = R"({"zen":"Non-blocking is better than blocking )" + std::to_string(i) +
                      R"(","hook_id":1,"hook":{"type":"App","id":1,"active":true,"events":["pull_request"]}})";
    bodies[i].second = sign(bodies[i].first);
  }
  std::vector<double> latencies(deliveries);
  std::atomic<std::size_t> next{0}, failures{0};
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> clients;
  for (std::size_t c = 0; c < connections; ++c) {
    clients.emplace_back([&] {
      Poco::Net::HTTPClientSession session("127.0.0.1", server.httpPort());
      session.setKeepAlive(true);
      for (std::size_t i = next++; i < deliveries; i = next++) {
        const auto& [body, signature] = bodies[i];
        const auto t0 = std::chrono::steady_clock::now();
        try {
          Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/github/webhook",
                                         Poco::Net::HTTPMessage::HTTP_1_1);
          request.setKeepAlive(true);
          request.set("X-GitHub-Event", "ping");
          request.set("X-GitHub-Delivery", "load-" + std::to_string(i));
          request.set("X-Hub-Signature-256", signature);
          request.setContentType("application/json");
          request.setContentLength(static_cast<std::streamsize>(body.size()));
          session.sendRequest(request) << body;
          Poco::Net::HTTPResponse response;
          std::string answer;
          Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
          if (response.getStatus() != 202) ++failures;
        } catch (const std::exception&) {
          ++failures;
          session.reset();
        }
        latencies[i] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      }
    });
  }
  for (auto& t : clients) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::sort(latencies.begin(), latencies.end());
  auto percentile = [&](double p) {
    return latencies[std::min(deliveries - 1, static_cast<std::size_t>(p * deliveries))];
  };

  auto metrics = ekaci::testsupport::httpRequest(server.httpPort(), "GET", "/metrics");
  std::smatch match;
  double stored = 0;
  static const std::regex kStored(R"(eka_ci_webhook_events_total\{[^}]*event="ping"[^}]*\} ([0-9.e+]+))");
  if (std::regex_search(metrics.body, match, kStored)) stored = std::stod(match[1]);
  server.stop(SIGTERM);
  std::printf("deliveries %zu over %zu connections in %.2f s: %.0f deliveries/s\n", deliveries, connections, seconds,
              static_cast<double>(deliveries) / seconds);
  std::printf("acknowledgement latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", percentile(0.50),
              percentile(0.90), percentile(0.99), latencies.back());
  std::printf("non-202 answers %zu; events stored %.0f of %zu (%s)\n", failures.load(), stored, deliveries,
              stored == static_cast<double>(deliveries) && failures == 0 ? "nothing lost" : "LOSS");
  return stored == static_cast<double>(deliveries) && failures == 0 ? 0 : 1;
}
