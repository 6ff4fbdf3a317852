#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "ekaci/sdk/Result.h"

namespace ekaci::cli {

// One request/response exchange with eka-ci-server over its Unix socket.
class SocketClient {
 public:
  explicit SocketClient(std::filesystem::path path, std::chrono::milliseconds timeout = std::chrono::seconds(10))
      : path_(std::move(path)), timeout_(timeout) {}

  // Sends a JSON request, returns the JSON response. Connection failures are
  // HttpConnect-free IoErrors that say whether the server seems to be down.
  sdk::Result<std::string> request(const std::string& json) const;

 private:
  std::filesystem::path path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace ekaci::cli
