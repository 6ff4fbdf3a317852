// The Unix socket's request path: bytes from a client are framed, decoded and answered.
// Every input gives a framed JSON answer or a clean refusal; nothing crashes or hangs.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "kernel/config/ConfigLoader.h"
#include "kernel/server/ClientCommands.h"
#include "kernel/server/FrameCodec.h"
#include "kernel/storage/SqliteStorage.h"

namespace {
struct Server {
  ekaci::config::ServerConfig config;
  ekaci::plugin_host::PluginHost plugins;
  std::unique_ptr<ekaci::storage::SqliteStorage> storage;
  std::unique_ptr<ekaci::server::StatusService> status;
  ekaci::sdk::testing::CapturingLogger logger;
  std::unique_ptr<ekaci::server::ClientCommands> commands;
  Server() {
    config = std::move(ekaci::config::ConfigLoader(ekaci::config::Environment({{"HOME", "/fuzz"}})).loadText("", "x"))
                 .value();
    std::string pattern = (std::filesystem::temp_directory_path() / "ekaci-fuzz-socket-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    storage = std::move(ekaci::storage::SqliteStorage::open(std::filesystem::path(pattern) / "db.sqlite")).value();
    status = std::make_unique<ekaci::server::StatusService>(config, plugins, *storage, std::chrono::steady_clock::now());
    commands = std::make_unique<ekaci::server::ClientCommands>(*status, logger);
  }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server* server = new Server;  // one database for the whole run
  if (size > 60000) return 0;          // stays within the socket buffer: no blocking writes
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) std::abort();
  if (size > 0 && ::write(fds[0], data, size) != static_cast<ssize_t>(size)) std::abort();
  ::close(fds[0]);
  while (true) {
    auto frame = ekaci::server::FrameCodec::read(fds[1], 65536, std::chrono::milliseconds(0));
    if (!frame) break;
    const std::string answer = server->commands->handle(*frame);
    if (answer.empty() || answer.front() != '{') std::abort();
  }
  ::close(fds[1]);
  return 0;
}
