#include "kernel/server/UnixSocketServer.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <boost/asio/local/stream_protocol.hpp>
#include <cstring>
#include <mutex>

#include "kernel/server/EventLoop.h"
#include "kernel/server/SocketConnection.h"

namespace ekaci::server {

namespace asio = boost::asio;

struct UnixSocketServer::State {
  std::mutex mutex;  // guards the count
  std::size_t open = 0;
  // Destroyed explicitly in stop(): the acceptor, then the loop (its pending handlers own
  // the connections, whose destructors count themselves out here).
  std::unique_ptr<EventLoop> loop;
  std::unique_ptr<asio::local::stream_protocol::acceptor> acceptor;
};

namespace {

// True when a server answers on the socket file at `path`.
bool answering(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const bool alive = probe >= 0 && ::connect(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (probe >= 0) ::close(probe);
  return alive;
}

}  // namespace

UnixSocketServer::UnixSocketServer(std::filesystem::path path, Handler handler, sdk::Logger& logger, Limits limits)
    : path_(std::move(path)), handler_(std::move(handler)), logger_(logger), limits_(limits) {}

UnixSocketServer::~UnixSocketServer() {
  stop();
}

sdk::Result<void> UnixSocketServer::start() {
  const std::string p = path_.string();
  if (p.size() >= sizeof(sockaddr_un::sun_path)) {
    return sdk::Error(
        sdk::ErrorCode::InvalidArgument,
        "socket path " + p + " is longer than " + std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes");
  }
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  if (std::filesystem::exists(path_, ec)) {
    // Another server answering there? Then this one must not steal its socket.
    if (answering(p)) return sdk::Error(sdk::ErrorCode::AlreadyExists, "another eka-ci server is listening on " + p);
    std::filesystem::remove(path_, ec);  // a stale socket from a crashed server
  }

  auto state = std::make_unique<State>();
  state->loop = std::make_unique<EventLoop>(limits_.handlerThreads);
  try {
    state->acceptor = std::make_unique<asio::local::stream_protocol::acceptor>(state->loop->context());
    state->acceptor->open();
    const mode_t old = ::umask(0177);  // the socket is created 0600: only the server's user may talk to it
    boost::system::error_code bound;
    state->acceptor->bind(asio::local::stream_protocol::endpoint(p), bound);
    ::umask(old);
    if (bound) throw boost::system::system_error(bound);
    state->acceptor->listen(64);
  } catch (const boost::system::system_error& e) {
    return sdk::Error(sdk::ErrorCode::IoError, "cannot listen on " + p + ": " + e.code().message());
  }
  ::chmod(p.c_str(), 0600);
  state_ = std::move(state);
  accept();
  state_->loop->start();
  return sdk::success();
}

void UnixSocketServer::accept() {
  state_->acceptor->async_accept(
      [this](const boost::system::error_code& error, asio::local::stream_protocol::socket socket) {
        if (error == asio::error::operation_aborted || !state_->acceptor->is_open()) return;
        if (!error) {
          bool admitted = false;
          {
            std::lock_guard lock(state_->mutex);
            admitted = state_->open < limits_.maxConnections;
            if (admitted) ++state_->open;
          }
          if (admitted) {
            std::make_shared<SocketConnection>(*this, std::move(socket), state_->loop->handlers())->start();
          } else {
            boost::system::error_code ignored;
            socket.close(ignored);
            logger_.warn("unix socket connection refused: too many connections",
                         {{"limit", std::to_string(limits_.maxConnections)}});
          }
        }
        accept();
      });
}

void UnixSocketServer::finished() {
  std::lock_guard lock(state_->mutex);
  --state_->open;
}

std::string UnixSocketServer::handle(const std::string& request) const {
  try {
    return handler_(request);
  } catch (const std::exception& e) {
    logger_.error("unix socket handler failed", {{"error", e.what()}});
    return R"({"ok":false,"error":{"code":)" + std::to_string(static_cast<int>(sdk::ErrorCode::Internal)) +
           R"(,"name":")" + sdk::errorCodeName(sdk::ErrorCode::Internal) + R"(","message":"internal error"}})";
  }
}

void UnixSocketServer::stop() {
  if (!state_) return;
  state_->loop->halt();
  state_->acceptor.reset();
  state_->loop.reset();
  state_.reset();
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace ekaci::server
