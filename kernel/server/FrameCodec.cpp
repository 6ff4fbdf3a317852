#include "kernel/server/FrameCodec.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ekaci::server {
namespace {
using Clock = std::chrono::steady_clock;

// Waits for `events` until the deadline; false on timeout.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd, events, 0};
    int rc = ::poll(&p, 1, static_cast<int>(left));
    if (rc > 0) return true;
    if (rc < 0 && errno != EINTR) return false;
  }
}

// 1: filled, 0: clean EOF before any byte, -1: error/timeout (message set).
int readExactly(int fd, char* out, std::size_t n, Clock::time_point deadline, std::string& message) {
  std::size_t got = 0;
  while (got < n) {
    if (!waitFor(fd, POLLIN, deadline)) {
      message = "timed out waiting for the request";
      return -1;
    }
    ssize_t r = ::recv(fd, out + got, n - got, 0);
    if (r == 0) {
      if (got == 0) return 0;
      message = "connection closed in the middle of a frame";
      return -1;
    }
    if (r < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      message = std::string("read failed: ") + std::strerror(errno);
      return -1;
    }
    got += static_cast<std::size_t>(r);
  }
  return 1;
}
}  // namespace

std::string FrameCodec::encode(std::string_view payload) {
  const auto n = static_cast<std::uint32_t>(payload.size());
  std::string out;
  out.reserve(4 + payload.size());
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(payload);
  return out;
}

sdk::Result<std::string> FrameCodec::read(int fd, std::size_t maxBytes, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  unsigned char header[4];
  std::string message;
  int rc = readExactly(fd, reinterpret_cast<char*>(header), 4, deadline, message);
  if (rc == 0) return sdk::Error(sdk::ErrorCode::NotFound, "connection closed");
  if (rc < 0) return sdk::Error(sdk::ErrorCode::ProtocolMalformed, message);
  const std::uint32_t n = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                          (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
  if (n > maxBytes) {
    return sdk::Error(sdk::ErrorCode::ProtocolFrameTooLarge,
                      "frame of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(maxBytes));
  }
  std::string payload(n, '\0');
  if (n > 0 && readExactly(fd, payload.data(), n, deadline, message) != 1) {
    return sdk::Error(sdk::ErrorCode::ProtocolMalformed, message.empty() ? "truncated frame" : message);
  }
  return payload;
}

sdk::Result<void> FrameCodec::write(int fd, std::string_view payload, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const std::string frame = encode(payload);
  std::size_t sent = 0;
  while (sent < frame.size()) {
    if (!waitFor(fd, POLLOUT, deadline)) return sdk::Error(sdk::ErrorCode::Timeout, "timed out writing the response");
    ssize_t w = ::send(fd, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return sdk::Error(sdk::ErrorCode::IoError, std::string("write failed: ") + std::strerror(errno));
    }
    sent += static_cast<std::size_t>(w);
  }
  return sdk::success();
}

}  // namespace ekaci::server
