#include "kernel/server/UnixSocketServer.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "kernel/server/FrameCodec.h"

namespace ekaci::server {

UnixSocketServer::UnixSocketServer(std::filesystem::path path, Handler handler, sdk::Logger& logger, Limits limits)
    : path_(std::move(path)), handler_(std::move(handler)), logger_(logger), limits_(limits) {}

UnixSocketServer::~UnixSocketServer() { stop(); }

sdk::Result<void> UnixSocketServer::start() {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string p = path_.string();
  if (p.size() >= sizeof(address.sun_path)) {
    return sdk::Error(sdk::ErrorCode::InvalidArgument,
                      "socket path " + p + " is longer than " + std::to_string(sizeof(address.sun_path) - 1) + " bytes");
  }
  std::memcpy(address.sun_path, p.c_str(), p.size() + 1);
  std::error_code ec;
  if (path_.has_parent_path()) {
    std::filesystem::create_directories(path_.parent_path(), ec);
  }

  if (std::filesystem::exists(path_, ec)) {
    // Another server answering there? Then this one must not steal its socket.
    int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    bool alive = probe >= 0 && ::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    if (probe >= 0) ::close(probe);
    if (alive) {
      return sdk::Error(sdk::ErrorCode::AlreadyExists, "another eka-ci server is listening on " + p);
    }
    std::filesystem::remove(path_, ec);  // a stale socket from a crashed server
  }

  listenFd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listenFd_ < 0) return sdk::Error(sdk::ErrorCode::IoError, std::string("socket: ") + std::strerror(errno));
  const mode_t old = ::umask(0177);  // the socket is created 0600: only the server's user may talk to it
  int rc = ::bind(listenFd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::umask(old);
  if (rc != 0 || ::listen(listenFd_, 64) != 0) {
    std::string why = std::strerror(errno);
    ::close(listenFd_);
    listenFd_ = -1;
    return sdk::Error(sdk::ErrorCode::IoError, "cannot listen on " + p + ": " + why);
  }
  ::chmod(p.c_str(), 0600);
  if (::pipe2(wakeFds_, O_CLOEXEC) != 0) return sdk::Error(sdk::ErrorCode::IoError, "pipe failed");
  stopping_ = false;
  acceptThread_ = std::thread([this] { acceptLoop(); });
  return sdk::success();
}

void UnixSocketServer::acceptLoop() {
  while (!stopping_) {
    pollfd fds[2] = {{listenFd_, POLLIN, 0}, {wakeFds_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0 || stopping_) break;
    int fd = ::accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    {
      std::lock_guard lock(mutex_);
      if (active_ >= limits_.maxConnections) {
        ::close(fd);
        logger_.warn("unix socket connection refused: too many connections",
                     {{"limit", std::to_string(limits_.maxConnections)}});
        continue;
      }
      ++active_;
    }
    std::thread([this, fd] {
      serve(fd);
      ::close(fd);
      std::lock_guard lock(mutex_);
      --active_;
      idle_.notify_all();
    }).detach();
  }
}

void UnixSocketServer::serve(int fd) {
  while (!stopping_) {
    auto request = FrameCodec::read(fd, limits_.maxFrameBytes, limits_.readTimeout);
    if (!request) {
      if (request.error().code() == sdk::ErrorCode::NotFound) return;  // client hung up
      logger_.debug("unix socket request rejected", {{"reason", request.error().message()}});
      std::string error = R"({"ok":false,"error":{"code":)" +
                          std::to_string(static_cast<int>(request.error().code())) + R"(,"name":")" +
                          sdk::errorCodeName(request.error().code()) + R"(","message":"request rejected"}})";
      (void)FrameCodec::write(fd, error, limits_.readTimeout);
      return;
    }
    std::string response = handler_(*request);
    if (!FrameCodec::write(fd, response, limits_.readTimeout)) return;
  }
}

void UnixSocketServer::stop() {
  if (listenFd_ < 0) return;
  stopping_ = true;
  if (wakeFds_[1] >= 0) (void)!::write(wakeFds_[1], "x", 1);
  if (acceptThread_.joinable()) acceptThread_.join();
  ::close(listenFd_);
  listenFd_ = -1;
  for (int& fd : wakeFds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  {
    std::unique_lock lock(mutex_);
    idle_.wait_for(lock, limits_.readTimeout + std::chrono::seconds(1), [this] { return active_ == 0; });
  }
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace ekaci::server
