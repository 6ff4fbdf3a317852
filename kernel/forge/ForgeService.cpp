#include "kernel/forge/ForgeService.h"

#include "kernel/forge/ForgeJson.h"
#include "kernel/review/ReviewPipeline.h"

namespace ekaci::forge {

ForgeService::ForgeService(const Services& services)
    : services_(services), logger_(services.hub.logging().logger("forge")) {}

ForgeService::~ForgeService() {
  stop();
}

sdk::Result<std::unique_ptr<ForgeService>> ForgeService::create(const Services& services) {
  std::unique_ptr<ForgeService> service(new ForgeService(services));
  auto forges = ForgeInstances::create(services.config, services.plugins, services.hub);
  if (!forges) return std::move(forges).error();
  service->forges_ = std::move(forges).value();
  auto& hub = services.hub;
  auto& logger = *service->logger_;
  service->outbox_ = std::make_unique<ReportOutbox>(
      ReportOutbox::Services{services.storage, *service->forges_, hub.metrics(), logger, hub.clock()},
      ReportOutbox::Options{});

  service->authority_ =
      std::make_unique<MergeAuthority>(MergeAuthority::Services{services.storage, *service->forges_, hub.clock()});
  service->limiter_ = std::make_unique<CommandRateLimiter>(hub.clock(), std::chrono::seconds(5));
  AutoMerger::Options mergeOptions;
  mergeOptions.defaultMethod =
      ForgeJson::methodOf(services.config.defaultMergeMethod).value_or(sdk::MergeMethod::Squash);
  service->merger_ =
      std::make_unique<AutoMerger>(AutoMerger::Services{services.storage, *service->forges_, *service->outbox_,
                                                        *service->authority_, hub.metrics(), logger, hub.clock()},
                                   mergeOptions);
  MergeCommands::Options commandOptions;
  commandOptions.mention = services.config.botMention;
  service->commands_ = std::make_unique<MergeCommands>(
      MergeCommands::Services{services.storage, *service->forges_, *service->outbox_, *service->authority_,
                              *service->merger_, *service->limiter_, hub.metrics(), logger, hub.clock()},
      commandOptions);

  PullRequestFlow::Options options;
  ForgeService* self = service.get();
  options.publicUrl = [self] { return self->publicUrl_; };
  options.summaryDebounce = std::chrono::seconds(services.config.changeSummaryDebounceSeconds);
  options.requireApproval = services.config.requireApproval;
  options.mergeQueueRequireApproval = services.config.mergeQueueRequireApproval;
  options.concurrentReviews = 1;
  options.review.builds.publisher = services.publisher;
  const Services& s = self->services_;
  auto reviews = [&s] {
    return std::make_unique<review::ReviewService>(
        review::ReviewService::Services{review::ReviewPipeline::servicesFor(s.config, s.storage, s.plugins, s.hub),
                                        &s.scheduler, s.store, s.hub.clock()});
  };
  service->flow_ = std::make_unique<PullRequestFlow>(
      PullRequestFlow::Services{services.storage, *service->forges_, *service->outbox_, reviews, hub.metrics(), logger,
                                hub.clock(), service->merger_.get(), service->commands_.get()},
      std::move(options));
  service->processor_ = std::make_unique<ForgeEventProcessor>(
      ForgeEventProcessor::Services{services.storage, *service->flow_, hub.metrics(), logger, hub.clock()});
  service->intake_ =
      std::make_unique<WebhookIntake>(WebhookIntake::Services{services.storage, hub.metrics(), logger, hub.clock()},
                                      [self] { self->processor_->notify(); });
  return service;
}

sdk::Result<void> ForgeService::start(std::string publicUrl) {
  publicUrl_ = std::move(publicUrl);
  while (!publicUrl_.empty() && publicUrl_.back() == '/') publicUrl_.pop_back();
  auto resumed = flow_->resume();
  if (!resumed) return std::move(resumed).error();
  if (*resumed > 0) logger_->info("resumed unfinished reviews", {{"reviews", std::to_string(*resumed)}});
  for (const auto& instance : forges_->all()) {
    logger_->info("forge ready",
                  {{"forge", instance->id}, {"type", instance->type}, {"webhook", instance->routes.front()}});
  }
  outbox_->start();
  processor_->start();
  merger_->evaluatePending();
  return sdk::success();
}

void ForgeService::stop() {
  // Nothing new is taken, reviews are cancelled (their jobsets stay in the database and
  // are resumed), and what is due in the outbox stays there for the next start.
  if (processor_) processor_->stop();
  if (flow_) flow_->stop();
  if (outbox_) outbox_->stop();
}

std::vector<std::pair<std::string, std::string>> ForgeService::webhookRoutes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& instance : forges_->all()) {
    for (const auto& route : instance->routes) out.emplace_back(route, instance->id);
  }
  return out;
}

WebhookIntake::Reply ForgeService::receive(const std::string& forgeId,
                                           const std::vector<std::pair<std::string, std::string>>& headers,
                                           const std::string& body, const std::string& path) {
  ForgeInstances::Instance* instance = forges_->find(forgeId);
  if (instance == nullptr) return WebhookIntake::Reply{404, R"({"error":{"message":"no such forge"}})"};
  return intake_->receive(*instance, headers, body, path);
}

}  // namespace ekaci::forge
