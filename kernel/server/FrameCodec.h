#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "ekaci/sdk/Result.h"

namespace ekaci::server {

// The Unix-socket protocol's framing: a 4-byte big-endian length, then that many bytes of
// UTF-8 JSON. Frames above the limit are refused before their body is read.
class FrameCodec {
 public:
  static constexpr std::size_t kDefaultMaxFrame = std::size_t{1024} * 1024;

  static std::string encode(std::string_view payload);

  // Reads one frame from a blocking or non-blocking descriptor, waiting at most `timeout`
  // in total. NotFound means the peer closed the connection cleanly before a frame began.
  static sdk::Result<std::string> read(int fd, std::size_t maxBytes, std::chrono::milliseconds timeout);
  static sdk::Result<void> write(int fd, std::string_view payload, std::chrono::milliseconds timeout);
};

}  // namespace ekaci::server
