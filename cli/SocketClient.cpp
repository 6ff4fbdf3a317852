#include "cli/SocketClient.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/server/FrameCodec.h"

namespace ekaci::cli {

sdk::Result<std::string> SocketClient::request(const std::string& json) const {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string p = path_.string();
  if (p.size() >= sizeof(address.sun_path)) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument, "socket path too long: " + p);
  }
  std::memcpy(address.sun_path, p.c_str(), p.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return sdk::Error(sdk::ErrorCode::IoError, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int err = errno;
    ::close(fd);
    std::string hint = (err == ENOENT || err == ECONNREFUSED) ? " (is eka-ci-server running? see --socket)" : "";
    return sdk::Error(sdk::ErrorCode::IoError,
                      "cannot connect to eka-ci server at " + p + ": " + std::strerror(err) + hint);
  }
  auto written = server::FrameCodec::write(fd, json, timeout_);
  if (!written) {
    ::close(fd);
    return std::move(written).error();
  }
  auto response = server::FrameCodec::read(fd, std::size_t{64} * 1024 * 1024, timeout_);
  ::close(fd);
  return response;
}

}  // namespace ekaci::cli
