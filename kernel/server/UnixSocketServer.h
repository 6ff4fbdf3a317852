#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::server {

// Serves length-prefixed JSON requests on a Unix socket (mode 0600). Each connection gets
// a thread, up to a limit; a slow or silent client is dropped after the read timeout and
// never blocks other clients. The handler maps a request body to a response body.
class UnixSocketServer {
 public:
  using Handler = std::function<std::string(const std::string& request)>;
  struct Limits {
    std::size_t maxFrameBytes = std::size_t{1024} * 1024;
    std::chrono::milliseconds readTimeout{5000};
    std::size_t maxConnections = 32;
  };

  UnixSocketServer(std::filesystem::path path, Handler handler, sdk::Logger& logger, Limits limits);
  ~UnixSocketServer();

  // Binds and starts accepting. Refuses to take over a socket another server answers on.
  sdk::Result<void> start();
  // Stops accepting, waits for connections to finish, removes the socket file.
  void stop();

  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  void acceptLoop();
  void serve(int fd);

  std::filesystem::path path_;
  Handler handler_;
  sdk::Logger& logger_;
  Limits limits_;
  int listenFd_ = -1;
  int wakeFds_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::thread acceptThread_;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t active_ = 0;
};

}  // namespace ekaci::server
