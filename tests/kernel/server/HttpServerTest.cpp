// The HTTP listener under attack: slow and idle connections, too many from one address,
// oversized and unfinished requests. Clients are raw sockets, bound to different loopback
// addresses (127.0.0.0/8) where an attacker's address must differ from an honest client's.
#include "kernel/server/HttpServer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "ekaci/sdk/testing/InMemoryMetrics.h"

namespace ekaci::server {
namespace {

using namespace std::chrono_literals;

// A TCP connection from `from` (a loopback address) to 127.0.0.1:port; -1 on failure.
int connectFrom(const std::string& from, std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool sendAll(int fd, const std::string& data) {
  return ::send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

// Whatever the server sends within `wait`, until it closes the connection or goes quiet.
std::string readFor(int fd, std::chrono::milliseconds wait, bool* closed = nullptr) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
    char chunk[4096];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
      if (closed != nullptr) *closed = true;
      break;
    }
    out.append(chunk, static_cast<std::size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos && out.find("Connection: keep-alive") != std::string::npos) break;
  }
  return out;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.add("GET", "/health", [](const HttpExchange&) { return HttpReply::json(200, R"({"status":"ok"})"); });
    router_.add("POST", "/echo", [](const HttpExchange& e) { return HttpReply::json(200, std::to_string(e.body.size())); });
  }
  void startWith(HttpServer::Limits limits) {
    server_ = std::make_unique<HttpServer>(router_, logger_, metrics_, limits);
    ASSERT_TRUE(server_->start("127.0.0.1", 0));
  }
  // GET /health from 127.0.0.1 on a fresh connection; the reply's status line, or "" when
  // none came within a second.
  std::string health() {
    const int fd = connectFrom("127.0.0.1", server_->port());
    if (fd < 0) return "";
    sendAll(fd, "GET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    const std::string reply = readFor(fd, 1s);
    ::close(fd);
    return reply.substr(0, reply.find("\r\n"));
  }

  Router router_;
  sdk::testing::CapturingLogger logger_;
  sdk::testing::InMemoryMetrics metrics_;
  std::unique_ptr<HttpServer> server_;
};

// 200 connections from 20 addresses send one header line every second and never finish;
// /health keeps answering within a second, and the head deadline closes every slow one.
TEST_F(HttpServerTest, TwoHundredSlowConnectionsDoNotStarveHealth) {
  HttpServer::Limits limits;
  limits.headTimeout = 3s;
  startWith(limits);
  std::vector<int> slow;
  for (int a = 0; a < 20; ++a) {
    for (int i = 0; i < 10; ++i) {
      const int fd = connectFrom("127.0.0." + std::to_string(2 + a), server_->port());
      ASSERT_GE(fd, 0);
      ASSERT_TRUE(sendAll(fd, "GET /health HTTP/1.1\r\n"));
      slow.push_back(fd);
    }
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    for (int line = 0; line < 6 && !stop; ++line) {
      for (int fd : slow) sendAll(fd, "X-Slow-" + std::to_string(line) + ": 1\r\n");
      std::this_thread::sleep_for(1s);
    }
  });
  int answered = 0, asked = 0;
  for (const auto end = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < end; ++asked) {
    answered += health() == "HTTP/1.1 200 OK" ? 1 : 0;
    std::this_thread::sleep_for(200ms);
  }
  stop = true;
  trickle.join();
  EXPECT_EQ(answered, asked) << "every health check is answered within a second";
  EXPECT_GT(asked, 10);
  int closed = 0;
  for (int fd : slow) {
    bool gone = false;
    readFor(fd, 100ms, &gone);
    closed += gone ? 1 : 0;
    ::close(fd);
  }
  EXPECT_EQ(closed, 200) << "the head deadline ends connections that never finish their request";
}

TEST_F(HttpServerTest, OneAddressHoldsOnlySoManyConnections) {
  HttpServer::Limits limits;
  limits.maxConnectionsPerAddress = 8;
  startWith(limits);
  std::vector<int> held;
  for (int i = 0; i < 20; ++i) held.push_back(connectFrom("127.0.0.9", server_->port()));
  int refused = 0;
  for (int fd : held) {
    bool gone = false;
    readFor(fd, 200ms, &gone);
    refused += gone ? 1 : 0;
  }
  EXPECT_EQ(refused, 12);
  EXPECT_EQ(health(), "HTTP/1.1 200 OK") << "another address is served";
  for (int fd : held) ::close(fd);
  EXPECT_EQ(metrics_.value("http_connections_refused_total"), 12.0);
}

TEST_F(HttpServerTest, AnUnfinishedBodyIsCutAtItsDeadline) {
  HttpServer::Limits limits;
  limits.bodyTimeout = 1s;
  startWith(limits);
  const int fd = connectFrom("127.0.0.1", server_->port());
  sendAll(fd, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly ten b");
  bool closed = false;
  const std::string reply = readFor(fd, 5s, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(reply, "") << "nothing is dispatched for half a body";
  ::close(fd);
}

TEST_F(HttpServerTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  startWith({});
  const int fd = connectFrom("127.0.0.1", server_->port());
  sendAll(fd, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloPOST /echo HTTP/1.1\r\nHost: t\r\n"
              "Content-Length: 3\r\nConnection: close\r\n\r\nabc");
  bool closed = false;
  std::string replies;
  while (!closed) {
    const std::string more = readFor(fd, 2s, &closed);
    if (more.empty() && !closed) break;
    replies += more;
  }
  ::close(fd);
  const auto first = replies.find("\r\n\r\n5");
  const auto second = replies.find("\r\n\r\n3");
  EXPECT_NE(first, std::string::npos) << replies;
  EXPECT_NE(second, std::string::npos) << replies;
  EXPECT_LT(first, second);
}

TEST_F(HttpServerTest, OversizedMalformedAndChunkedRequestsAreRefused) {
  HttpServer::Limits limits;
  limits.maxBodyBytes = 16;
  limits.maxHeadBytes = 1024;
  startWith(limits);
  auto ask = [&](const std::string& request) {
    const int fd = connectFrom("127.0.0.1", server_->port());
    sendAll(fd, request);
    const std::string reply = readFor(fd, 2s);
    ::close(fd);
    return reply.substr(0, reply.find("\r\n"));
  };
  EXPECT_EQ(ask("POST /echo HTTP/1.1\r\nContent-Length: 17\r\n\r\n"), "HTTP/1.1 413 Request Entity Too Large");
  EXPECT_EQ(ask("GET /health HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n"),
            "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_EQ(ask("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), "HTTP/1.1 411 Length Required");
  EXPECT_EQ(ask("NOT HTTP\r\n\r\n"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(ask("POST /echo HTTP/1.1\r\nContent-Length: -4\r\n\r\n"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(health(), "HTTP/1.1 200 OK");
}

}  // namespace
}  // namespace ekaci::server
