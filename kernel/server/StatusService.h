#pragma once

#include <chrono>
#include <string>

#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/PluginHost.h"
#include "kernel/storage/Storage.h"

namespace ekaci::server {

// What `ekaci status`, GET /v1/status and the socket's "status" command report: version,
// uptime, loaded and skipped plugins, database, socket, HTTP address and queue depths.
class StatusService {
 public:
  StatusService(const config::ServerConfig& config, const plugin_host::PluginHost& plugins, storage::Storage& storage,
                std::chrono::steady_clock::time_point started);

  void setHttpPort(std::uint16_t port) { httpPort_ = port; }
  std::string statusJson() const;
  std::string pluginsJson() const;

 private:
  const config::ServerConfig& config_;
  const plugin_host::PluginHost& plugins_;
  storage::Storage& storage_;
  std::chrono::steady_clock::time_point started_;
  std::uint16_t httpPort_ = 0;
};

}  // namespace ekaci::server
