#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::server {

class SocketConnection;

// Serves length-prefixed JSON requests (FrameCodec's framing) on a Unix socket of mode 0600.
// One event-loop thread owns every connection: waiting for a frame, reading it and writing
// the answer cost no thread, so clients that connect and stay silent, or send a frame a byte
// at a time, cannot starve the others. Each frame has a deadline from the moment the server
// starts waiting for it; a complete request goes to a small pool of handler threads, which
// map a request body to a response body.
//
// Threading: start() and stop() from one thread; the handler is called from the pool.
class UnixSocketServer {
 public:
  using Handler = std::function<std::string(const std::string& request)>;
  struct Limits {
    std::size_t maxFrameBytes = std::size_t{1024} * 1024;
    std::chrono::milliseconds readTimeout{5000};  // for each request frame, idle time included
    std::size_t maxConnections = 1024;
    std::size_t handlerThreads = 4;
  };

  UnixSocketServer(std::filesystem::path path, Handler handler, sdk::Logger& logger, Limits limits);
  ~UnixSocketServer();
  UnixSocketServer(const UnixSocketServer&) = delete;
  UnixSocketServer& operator=(const UnixSocketServer&) = delete;

  // Binds and starts accepting. Refuses to take over a socket another server answers on.
  sdk::Result<void> start();
  // Stops accepting, closes every connection, lets running handlers finish, removes the
  // socket file.
  void stop();

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  friend class SocketConnection;
  struct State;

  void accept();
  // Called by connections when they end (event-loop thread).
  void finished();
  // The handler's answer, from a pool thread; an exception is an error answer, never a dead server.
  std::string handle(const std::string& request) const;

  std::filesystem::path path_;
  Handler handler_;
  sdk::Logger& logger_;
  Limits limits_;
  std::unique_ptr<State> state_;
};

}  // namespace ekaci::server
