#include "kernel/publish/PublishStage.h"

namespace ekaci::publish {

sdk::Result<std::unique_ptr<PublishStage>> PublishStage::create(const config::ServerConfig& config,
                                                                const plugin_host::PluginRegistry& plugins,
                                                                services::ServiceHub& hub, storage::Storage& storage,
                                                                sdk::Logger& logger) {
  std::unique_ptr<PublishStage> stage(new PublishStage);
  auto caches = CacheRegistry::create(config.caches, plugins, hub);
  if (!caches) return std::move(caches).error();
  stage->caches_ = std::move(caches).value();
  HookRunner::Settings hookSettings;
  hookSettings.allowedCommands = config.security.allowedHookCommands;
  hookSettings.timeout = std::chrono::seconds(config.security.maxHookTimeoutSeconds);
  hookSettings.logsDir = config.logsDir;
  hookSettings.audit = config.security.auditHooks;
  stage->hooks_ = std::make_unique<HookRunner>(
      HookRunner::Services{hub.processes(), storage, hub.clock(), logger, hub.metrics()}, std::move(hookSettings));
  PostBuildPublisher::Settings settings;
  settings.pushTimeout = std::chrono::seconds(config.security.maxHookTimeoutSeconds);
  stage->publisher_ =
      std::make_unique<PostBuildPublisher>(PostBuildPublisher::Services{storage, hub.clock(), logger, hub.metrics()},
                                           *stage->caches_, *stage->hooks_, settings);
  return stage;
}

PublishStage::~PublishStage() {
  if (publisher_) publisher_->stop();
  publisher_.reset();
  hooks_.reset();
  caches_.reset();
}

}  // namespace ekaci::publish
