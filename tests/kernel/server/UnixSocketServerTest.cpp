#include "kernel/server/UnixSocketServer.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "cli/SocketClient.h"
#include "ekaci/sdk/testing/CapturingLogger.h"
#include "kernel/server/FrameCodec.h"
#include "tests/support/TempDir.h"

namespace ekaci::server {
namespace {

int connectTo(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof(address.sun_path) - 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  return fd;
}

}  // namespace

class UnixSocketServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    UnixSocketServer::Limits limits;
    limits.maxFrameBytes = 4096;
    limits.readTimeout = std::chrono::milliseconds(500);
    server_ = std::make_unique<UnixSocketServer>(
        dir_.path() / "ekaci.sock", [](const std::string& request) { return "echo:" + request; }, logger_, limits);
    ASSERT_TRUE(server_->start());
  }

  testsupport::TempDir dir_;
  sdk::testing::CapturingLogger logger_;
  std::unique_ptr<UnixSocketServer> server_;
};

TEST_F(UnixSocketServerTest, AnswersRequestsAndIsPrivate) {
  auto answer = cli::SocketClient(server_->path()).request("ping");
  ASSERT_TRUE(answer) << answer.error().describe();
  EXPECT_EQ(*answer, "echo:ping");
  struct stat st {};
  ASSERT_EQ(::stat(server_->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(UnixSocketServerTest, OversizedRequestIsRefusedWithAnError) {
  int fd = connectTo(server_->path());
  ASSERT_TRUE(FrameCodec::write(fd, std::string(10000, 'x'), std::chrono::seconds(1)));
  auto answer = FrameCodec::read(fd, 1 << 20, std::chrono::seconds(2));
  ::close(fd);
  ASSERT_TRUE(answer) << answer.error().describe();
  EXPECT_NE(answer->find("\"code\":9000"), std::string::npos) << *answer;
}

TEST_F(UnixSocketServerTest, SilentClientsDoNotBlockOthers) {
  std::vector<int> idle;
  for (int i = 0; i < 5; ++i) idle.push_back(connectTo(server_->path()));  // connect, send nothing
  const auto started = std::chrono::steady_clock::now();
  auto answer = cli::SocketClient(server_->path()).request("still here");
  ASSERT_TRUE(answer) << answer.error().describe();
  EXPECT_EQ(*answer, "echo:still here");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(450))
      << "answered before any idle client timed out";
  for (int fd : idle) ::close(fd);
}

// 200 clients trickle a frame one byte per 300 ms and never finish it; a ping on a fresh
// connection keeps being answered within a second, and the frame deadline closes every slow one.
TEST_F(UnixSocketServerTest, TwoHundredSlowClientsDoNotStarveOthers) {
  UnixSocketServer::Limits limits;
  limits.readTimeout = std::chrono::seconds(3);
  auto path = dir_.path() / "slow.sock";
  UnixSocketServer server(path, [](const std::string& request) { return "echo:" + request; }, logger_, limits);
  ASSERT_TRUE(server.start());
  std::vector<int> slow;
  for (int i = 0; i < 200; ++i) slow.push_back(connectTo(path));
  const std::string frame = FrameCodec::encode(std::string(100, 'x'));
  int answered = 0, asked = 0;
  for (std::size_t byte = 0; byte < 8; ++byte) {
    for (int fd : slow) (void)::send(fd, frame.data() + byte, 1, MSG_NOSIGNAL);
    const auto started = std::chrono::steady_clock::now();
    auto answer = cli::SocketClient(path, std::chrono::seconds(1)).request("ping");
    ++asked;
    if (answer && *answer == "echo:ping" && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
      ++answered;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  EXPECT_EQ(answered, asked) << "every ping is answered while 200 clients trickle";
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the frame deadline
  int closed = 0;
  for (int fd : slow) {
    char c = 0;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 2000) == 1 && ::recv(fd, &c, 1, 0) == 0) ++closed;
    ::close(fd);
  }
  EXPECT_EQ(closed, 200) << "the frame deadline ends clients that never finish their frame";
}

TEST_F(UnixSocketServerTest, AHandlerThatThrowsIsAnErrorAnswer) {
  auto path = dir_.path() / "throws.sock";
  UnixSocketServer server(
      path, [](const std::string&) -> std::string { throw std::runtime_error("boom"); }, logger_, {});
  ASSERT_TRUE(server.start());
  auto answer = cli::SocketClient(path).request("x");
  ASSERT_TRUE(answer) << answer.error().describe();
  EXPECT_NE(answer->find("\"code\":1000"), std::string::npos) << *answer;
  EXPECT_TRUE(cli::SocketClient(path).request("y")) << "the server lives on";
}

TEST_F(UnixSocketServerTest, RefusesToStealALiveSocketButReplacesAStaleOne) {
  sdk::testing::CapturingLogger logger;
  UnixSocketServer second(server_->path(), [](const std::string&) { return std::string(); }, logger, {});
  auto refused = second.start();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), sdk::ErrorCode::AlreadyExists);

  // A stale socket file (no listener) is replaced.
  auto stale = dir_.path() / "stale.sock";
  {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, stale.c_str(), sizeof(address.sun_path) - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ::close(fd);
  }
  UnixSocketServer third(stale, [](const std::string&) { return std::string("ok"); }, logger, {});
  ASSERT_TRUE(third.start());
  EXPECT_EQ(*cli::SocketClient(stale).request("x"), "ok");
  third.stop();
  EXPECT_FALSE(std::filesystem::exists(stale)) << "stop() removes the socket file";
}

}  // namespace ekaci::server
