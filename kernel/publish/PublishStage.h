#pragma once

#include <memory>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/publish/CacheRegistry.h"
#include "kernel/publish/HookRunner.h"
#include "kernel/publish/PostBuildPublisher.h"
#include "kernel/services/ServiceHub.h"
#include "kernel/storage/Storage.h"

namespace ekaci::publish {

// Everything after a build, as the server configuration defines it: the cache instances,
// the hook runner and the publisher that drives both. The server and `ekaci review --build`
// make it the same way, so a local review pushes and runs hooks exactly as the server does.
// Destroyed in reverse: the publisher stops first, then the hooks' runner, then the caches.
class PublishStage {
 public:
  static sdk::Result<std::unique_ptr<PublishStage>> create(const config::ServerConfig& config,
                                                           const plugin_host::PluginRegistry& plugins,
                                                           services::ServiceHub& hub, storage::Storage& storage,
                                                           sdk::Logger& logger);
  ~PublishStage();

  PostBuildPublisher& publisher() noexcept { return *publisher_; }
  const HookRunner& hooks() const noexcept { return *hooks_; }
  const CacheRegistry& caches() const noexcept { return *caches_; }

 private:
  PublishStage() = default;
  std::unique_ptr<CacheRegistry> caches_;
  std::unique_ptr<HookRunner> hooks_;
  std::unique_ptr<PostBuildPublisher> publisher_;
};

}  // namespace ekaci::publish
