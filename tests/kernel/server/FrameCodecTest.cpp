#include "kernel/server/FrameCodec.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ekaci::server {
namespace {
struct SocketPair {
  int fds[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds) if (fd >= 0) ::close(fd);
  }
};
}  // namespace

TEST(FrameCodecTest, RoundTrips) {
  SocketPair pair;
  ASSERT_TRUE(FrameCodec::write(pair.fds[0], R"({"command":"status"})", std::chrono::seconds(1)));
  auto frame = FrameCodec::read(pair.fds[1], 1024, std::chrono::seconds(1));
  ASSERT_TRUE(frame) << frame.error().describe();
  EXPECT_EQ(*frame, R"({"command":"status"})");
  EXPECT_EQ(FrameCodec::encode("ab"), std::string("\0\0\0\2ab", 6));
}

TEST(FrameCodecTest, RefusesOversizedFramesBeforeReadingThem) {
  SocketPair pair;
  const std::string header("\x7f\xff\xff\xff", 4);
  ASSERT_EQ(::write(pair.fds[0], header.data(), 4), 4);
  auto frame = FrameCodec::read(pair.fds[1], 1024, std::chrono::seconds(1));
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().code(), sdk::ErrorCode::ProtocolFrameTooLarge);
}

TEST(FrameCodecTest, TruncatedAndSilentPeersTimeOut) {
  SocketPair pair;
  const std::string partial("\0\0\0\x10{\"com", 9);
  ASSERT_EQ(::write(pair.fds[0], partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  auto frame = FrameCodec::read(pair.fds[1], 1024, std::chrono::milliseconds(200));
  ASSERT_FALSE(frame);
  EXPECT_EQ(frame.error().code(), sdk::ErrorCode::ProtocolMalformed);
  ::close(pair.fds[0]);
  pair.fds[0] = -1;
  auto closed = FrameCodec::read(pair.fds[1], 1024, std::chrono::milliseconds(200));
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code(), sdk::ErrorCode::NotFound);
}

}  // namespace ekaci::server
