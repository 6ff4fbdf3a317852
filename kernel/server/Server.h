#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "ekaci/sdk/Result.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/forge/ForgeService.h"
#include "kernel/forge/ReviewApi.h"
#include "kernel/plugin_host/PluginHost.h"
#include "kernel/publish/PublishStage.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/server/ApiTokens.h"
#include "kernel/server/ApprovalCommands.h"
#include "kernel/server/BuildService.h"
#include "kernel/server/ClientCommands.h"
#include "kernel/server/HttpServer.h"
#include "kernel/server/MergeSocketCommands.h"
#include "kernel/server/Router.h"
#include "kernel/server/StateDirectory.h"
#include "kernel/server/StatusService.h"
#include "kernel/server/UnixSocketServer.h"
#include "kernel/services/Logging.h"
#include "kernel/services/ServiceHub.h"
#include "kernel/storage/Storage.h"

namespace ekaci::server {

struct ServerOptions {
  std::optional<std::filesystem::path> configPath;
  std::filesystem::path executable;  // locates the bundled plugin directory
  config::Environment environment;
  bool requireApproval = false;  // --require-approval: as require_approval = true
};

// The composition root of eka-ci-server. prepare() reads the configuration, loads plugins
// and checks that the configuration and plugins agree (all --check-config needs); run()
// opens the database and starts the HTTP and socket listeners; stop() drains and closes
// everything in reverse order.
class Server {
 public:
  static sdk::Result<std::unique_ptr<Server>> prepare(const ServerOptions& options, services::Logging& logging);
  ~Server();

  sdk::Result<void> run();
  void stop();

  const config::ServerConfig& config() const noexcept { return config_; }
  const plugin_host::PluginHost& plugins() const noexcept { return *plugins_; }
  std::uint16_t httpPort() const noexcept { return http_ ? http_->port() : 0; }

 private:
  explicit Server(services::Logging& logging);
  void buildRoutes();
  void buildForgeRoutes();
  // Sets eka_ci_build_queue_depth{platform} from the database before each scrape.
  void buildMergeRoutes();
  void refreshQueueGauges();

  services::Logging& logging_;
  std::unique_ptr<sdk::Logger> logger_;
  std::chrono::steady_clock::time_point started_;
  // Declared before everything a plugin creates, so it is destroyed after all of it.
  std::unique_ptr<plugin_host::PluginHost> plugins_;
  config::ServerConfig config_;
  config::Environment environment_;
  std::unique_ptr<services::ServiceHub> services_;
  std::unique_ptr<StateDirectory> stateDirectory_;  // held for the server's lifetime
  std::unique_ptr<storage::Storage> storage_;
  std::unique_ptr<sdk::Logger> schedulerLogger_;
  std::optional<nix::NixInvocation> storeConfig_;  // outlives store_, which borrows it
  std::unique_ptr<nix::StorePathInfo> store_;
  std::unique_ptr<sdk::Logger> publishLogger_;
  std::unique_ptr<publish::PublishStage> publishing_;  // outlives scheduler_, which tells it of builds
  std::unique_ptr<scheduler::Scheduler> scheduler_;
  std::unique_ptr<forge::ForgeService> forge_;
  std::unique_ptr<BuildService> builds_;
  std::unique_ptr<StatusService> status_;
  std::unique_ptr<ApprovalCommands> approvals_;
  std::unique_ptr<forge::ReviewApi> reviewApi_;
  std::unique_ptr<forge::MergeApi> mergeApi_;
  std::unique_ptr<ApiTokens> tokens_;
  std::unique_ptr<MergeSocketCommands> mergeCommands_;
  std::unique_ptr<ClientCommands> commands_;
  Router router_;
  std::unique_ptr<sdk::Logger> httpLogger_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<sdk::Logger> socketLogger_;
  std::unique_ptr<UnixSocketServer> socket_;
  std::mutex queueGaugesMutex_;
  std::set<std::string> queuePlatforms_;
};

}  // namespace ekaci::server
