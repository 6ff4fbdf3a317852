#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/config/Environment.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/forge/ForgeEventProcessor.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/forge/PullRequestFlow.h"
#include "kernel/forge/ReportOutbox.h"
#include "kernel/forge/WebhookIntake.h"
#include "kernel/nix/StorePathInfo.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/publish/PostBuildPublisher.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/services/ServiceHub.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// The server's side of every forge, assembled: the configured forge instances, the webhook
// intake in front of them, the event processor and pull-request flow behind it, and the
// outbox every report leaves through. Started after the scheduler, stopped before it.
class ForgeService {
 public:
  struct Services {
    const config::ServerConfig& config;
    const config::Environment& environment;
    const plugin_host::PluginRegistry& plugins;
    services::ServiceHub& hub;
    storage::Storage& storage;
    scheduler::Scheduler& scheduler;
    const nix::StorePathInfo* store;
    publish::PostBuildPublisher* publisher = nullptr;  // hooks and cache pushes after builds
  };

  static sdk::Result<std::unique_ptr<ForgeService>> create(const Services& services);
  ~ForgeService();

  // Resumes what the previous run left (events not handled, reviews not finished, reports
  // not delivered) and starts the threads. `publicUrl` is the base of details links.
  sdk::Result<void> start(std::string publicUrl);
  void stop();

  // Webhook routes (path, forge instance id) for the HTTP router.
  std::vector<std::pair<std::string, std::string>> webhookRoutes() const;
  WebhookIntake::Reply receive(const std::string& forgeId,
                               const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                               const std::string& path);

  ForgeInstances& forges() noexcept { return *forges_; }
  ReportOutbox& outbox() noexcept { return *outbox_; }
  PullRequestFlow& flow() noexcept { return *flow_; }
  AutoMerger& merger() noexcept { return *merger_; }
  MergeAuthority& authority() noexcept { return *authority_; }

 private:
  explicit ForgeService(const Services& services);

  Services services_;
  std::unique_ptr<sdk::Logger> logger_;
  std::string publicUrl_;
  std::unique_ptr<ForgeInstances> forges_;
  std::unique_ptr<ReportOutbox> outbox_;
  std::unique_ptr<MergeAuthority> authority_;
  std::unique_ptr<CommandRateLimiter> limiter_;
  std::unique_ptr<AutoMerger> merger_;
  std::unique_ptr<MergeCommands> commands_;
  std::unique_ptr<PullRequestFlow> flow_;
  std::unique_ptr<ForgeEventProcessor> processor_;
  std::unique_ptr<WebhookIntake> intake_;
};

}  // namespace ekaci::forge
