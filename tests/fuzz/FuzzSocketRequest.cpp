// The Unix socket's request decoder: bytes from a client are cut into frames and each frame's
// command is parsed. Every input yields commands or clean refusals; nothing crashes, hangs or
// reads past what was sent.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "kernel/server/ClientCommands.h"
#include "kernel/server/FrameCodec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 60000) return 0;  // stays within the socket buffer: no blocking writes
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) std::abort();
  if (size > 0 && ::write(fds[0], data, size) != static_cast<ssize_t>(size)) std::abort();
  ::close(fds[0]);
  std::size_t consumed = 0;
  while (true) {
    // The writer is closed: reads never wait, the deadline only has to be in the future.
    auto frame = ekaci::server::FrameCodec::read(fds[1], 65536, std::chrono::milliseconds(1000));
    if (!frame) {
      const auto code = frame.error().code();
      if (code != ekaci::sdk::ErrorCode::NotFound && code != ekaci::sdk::ErrorCode::ProtocolMalformed &&
          code != ekaci::sdk::ErrorCode::ProtocolFrameTooLarge) {
        std::abort();
      }
      break;
    }
    consumed += 4 + frame->size();
    if (consumed > size) std::abort();  // never more than was sent
    auto command = ekaci::server::ClientCommands::parseCommand(*frame);
    if (!command && command.error().code() != ekaci::sdk::ErrorCode::ProtocolMalformed) std::abort();
  }
  ::close(fds[1]);
  return 0;
}
