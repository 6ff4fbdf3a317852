#include "kernel/server/Server.h"

#include <sys/stat.h>

#include <charconv>
#include <fstream>

#include <Poco/URI.h>

#include "ekaci/sdk/UntrustedText.h"
#include "ekaci/sdk/Version.h"
#include "kernel/config/Diagnostics.h"
#include "kernel/publish/PublishStage.h"
#include "kernel/scheduler/SchedulerSettings.h"
#include "kernel/server/Bootstrap.h"
#include "kernel/services/ProcessMetrics.h"
#include "kernel/storage/SqliteStorage.h"

namespace ekaci::server {
namespace {

sdk::Result<std::string> randomHex(std::size_t bytes) {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string raw(bytes, '\0');
  if (!urandom.read(raw.data(), static_cast<std::streamsize>(bytes))) {
    return sdk::Error(sdk::ErrorCode::IoError, "cannot read /dev/urandom");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  volatile char* p = raw.data();
  for (std::size_t i = 0; i < raw.size(); ++i) p[i] = 0;
  return out;
}

}  // namespace

Server::Server(services::Logging& logging)
    : logging_(logging), logger_(logging.logger("server")), started_(std::chrono::steady_clock::now()) {}

Server::~Server() {
  stop();
}

sdk::Result<std::unique_ptr<Server>> Server::prepare(const ServerOptions& options, services::Logging& logging) {
  std::unique_ptr<Server> server(new Server(logging));
  auto prepared = Bootstrap::prepare(options.configPath, options.executable, options.environment, *server->logger_);
  if (!prepared) return std::move(prepared).error();
  server->plugins_ = std::move(prepared->plugins);
  server->config_ = std::move(prepared->config);
  server->environment_ = options.environment;
  if (options.requireApproval) server->config_.requireApproval = true;

  config::Diagnostics requirements;
  const bool forgesConfigured = !server->config_.forges.empty();
  if (forgesConfigured && !server->config_.security.webhookSecret && !server->config_.security.allowInsecureWebhooks) {
    requirements.add(sdk::ErrorCode::ConfigMissingKey, sdk::SourceLocation{server->config_.sourceFile.string(), 0, 0},
                     "security.webhook_secret",
                     "forges are configured but no webhook secret is set (security.webhook_secret, WEBHOOK_SECRET or "
                     "GITHUB_WEBHOOK_SECRET); set allow_insecure_webhooks = true only for local development");
  }
  if (!requirements.ok()) return requirements.toError();

  if (!server->config_.oauth.jwtSecret) {
    // Documented behaviour: without a configured secret, sessions are signed with a random
    // 256-bit key that lives as long as this process.
    auto key = randomHex(32);
    if (!key) return std::move(key).error();
    server->config_.oauth.jwtSecret = sdk::Secret(std::move(key).value());
    server->logger_->info("no oauth.jwt_secret configured; generated an ephemeral one (sessions end at restart)",
                          {{"event", "jwt_secret_generated_ephemeral"}});
  }
  for (const auto& plugin : server->plugins_->loaded()) {
    server->logger_->info("plugin loaded",
                          {{"name", plugin.name}, {"version", plugin.version}, {"file", plugin.file.string()}});
  }
  server->services_ =
      std::make_unique<services::ServiceHub>(logging, server->plugins_->registry(), server->config_.stateDir);
  return server;
}

void Server::buildRoutes() {
  router_.add("GET", "/health", [](const HttpExchange&) {
    return HttpReply::json(200, R"({"status":"ok","version":")" EKACI_SDK_VERSION R"("})");
  });
  for (const char* path : {"/metrics", "/v1/metrics"}) {
    router_.add("GET", path, [this](const HttpExchange&) {
      refreshQueueGauges();
      HttpReply reply;
      reply.contentType = "text/plain; version=0.0.4; charset=utf-8";
      reply.body = services_->metrics().render() + services::ProcessMetrics::render();
      return reply;
    });
  }
  router_.add("GET", "/v1/status", [this](const HttpExchange&) { return HttpReply::json(200, status_->statusJson()); });
  router_.add("GET", "/v1/plugins",
              [this](const HttpExchange&) { return HttpReply::json(200, status_->pluginsJson()); });
  const auto reply = [](const sdk::Result<std::string>& result) {
    if (result) return HttpReply::json(200, *result);
    const auto code = result.error().code();
    const int status = code == sdk::ErrorCode::NotFound ? 404 : code == sdk::ErrorCode::InvalidArgument ? 400 : 500;
    return HttpReply::error(status, static_cast<int>(code), sdk::errorCodeName(code), result.error().message());
  };
  router_.add("GET", "/v1/builds", [this, reply](const HttpExchange&) { return reply(builds_->activeJson(1000)); });
  router_.add("GET", "/v1/builds/{drv}",
              [this, reply](const HttpExchange& e) { return reply(builds_->derivationJson(e.params.at("drv"))); });
  router_.add("GET", "/v1/jobsets/{id}", [this, reply](const HttpExchange& e) {
    const std::string& text = e.params.at("id");
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return reply(sdk::Error(sdk::ErrorCode::InvalidArgument, "a jobset id is a number"));
    }
    return reply(builds_->jobsetJson(id));
  });
  router_.add("GET", "/v1/logs/{drv}/hooks/{name}", [this, reply](const HttpExchange& e) {
    auto text = builds_->hookLog(publishing_->hooks(), e.params.at("drv"), e.params.at("name"));
    if (!text) return reply(text.error());
    HttpReply r;
    r.contentType = "text/plain; charset=utf-8";
    r.body = std::move(text).value();
    return r;
  });
  router_.add("GET", "/logs/{drv}", [this, reply](const HttpExchange& e) {
    auto text = builds_->log(e.params.at("drv"));
    if (!text) return reply(text.error());
    HttpReply r;
    r.contentType = "text/plain; charset=utf-8";
    r.body = std::move(text).value();
    return r;
  });
}

void Server::buildForgeRoutes() {
  for (const auto& [path, forgeId] : forge_->webhookRoutes()) {
    router_.add("POST", path, [this, id = forgeId](const HttpExchange& e) {
      auto reply = forge_->receive(id, e.headers, e.body, e.path);
      return HttpReply::json(reply.status, reply.body);
    });
  }
  const auto reply = [](const sdk::Result<std::string>& result, const char* contentType = "application/json") {
    if (!result) {
      const auto code = result.error().code();
      const int status = code == sdk::ErrorCode::NotFound ? 404 : code == sdk::ErrorCode::InvalidArgument ? 400 : 500;
      return HttpReply::error(status, static_cast<int>(code), sdk::errorCodeName(code), result.error().message());
    }
    HttpReply r;
    r.contentType = contentType;
    r.body = *result;
    return r;
  };
  const auto query = [](const HttpExchange& e) {
    forge::ReviewApi::Query out;
    const auto mark = e.path.find('?');
    if (mark == std::string::npos) return out;
    try {
      for (const auto& [k, v] : Poco::URI("/?" + e.path.substr(mark + 1)).getQueryParameters()) out[k] = v;
    } catch (const Poco::Exception&) {
    }
    return out;
  };
  router_.add("GET", "/v1/commits/{sha}/change-summary", [this, reply, query](const HttpExchange& e) {
    return reply(reviewApi_->changeSummary(e.params.at("sha"), query(e)));
  });
  router_.add("GET", "/v1/commits/{sha}/change-summary.md", [this, reply, query](const HttpExchange& e) {
    return reply(reviewApi_->changeSummaryMarkdown(e.params.at("sha"), query(e)), "text/markdown; charset=utf-8");
  });
  router_.add("GET", "/v1/commits/{sha}/package-changes", [this, reply, query](const HttpExchange& e) {
    return reply(reviewApi_->packageChanges(e.params.at("sha"), query(e)));
  });
  router_.add("GET", "/v1/commits/{sha}/rebuild-impact", [this, reply, query](const HttpExchange& e) {
    return reply(reviewApi_->rebuildImpact(e.params.at("sha"), query(e)));
  });
  router_.add("GET", "/v1/commits/{sha}/check_runs",
              [this, reply](const HttpExchange& e) { return reply(reviewApi_->checkRuns(e.params.at("sha"))); });
  router_.add("GET", "/v1/prs",
              [this, reply, query](const HttpExchange& e) { return reply(reviewApi_->pullRequests(query(e))); });
  router_.add("GET", "/v1/prs/{owner}/{repo}/{number}", [this, reply](const HttpExchange& e) {
    return reply(reviewApi_->pullRequest(e.params.at("owner"), e.params.at("repo"), e.params.at("number")));
  });
  router_.add("GET", "/v1/admin/approved-users",
              [this, reply](const HttpExchange&) { return reply(reviewApi_->approvedUsers()); });
  buildMergeRoutes();
}

void Server::buildMergeRoutes() {
  const auto reply = [](const sdk::Result<std::string>& result) {
    if (result) return HttpReply::json(200, *result);
    const auto code = result.error().code();
    const int status = code == sdk::ErrorCode::NotFound           ? 404
                       : code == sdk::ErrorCode::InvalidArgument  ? 400
                       : code == sdk::ErrorCode::PermissionDenied ? 403
                       : code == sdk::ErrorCode::ForgeNotMergeable || code == sdk::ErrorCode::ForgeHeadChanged ||
                               code == sdk::ErrorCode::ForgeMergeMethodNotAllowed
                           ? 409
                           : 500;
    return HttpReply::error(status, static_cast<int>(code), sdk::errorCodeName(code), result.error().message());
  };
  // Writes name their user with a bearer token (ekaci token USER); 401 without one.
  const auto actor = [this](const HttpExchange& e) -> sdk::Result<forge::MergeApi::Actor> {
    for (const auto& [name, value] : e.headers) {
      std::string lower = name;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "authorization") return tokens_->verify(value);
    }
    return sdk::Error(sdk::ErrorCode::PermissionDenied, "an Authorization: Bearer token is required");
  };
  const auto unauthorised = [](const sdk::Error& error) {
    auto r = HttpReply::error(401, static_cast<int>(error.code()), sdk::errorCodeName(error.code()), error.message());
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  };
  const std::string pr = "/v1/prs/{owner}/{repo}/{number}";
  router_.add("GET", pr + "/merge-eligibility", [this, reply](const HttpExchange& e) {
    return reply(mergeApi_->eligibility(e.params.at("owner"), e.params.at("repo"), e.params.at("number")));
  });
  router_.add("POST", pr + "/enable-auto-merge", [this, reply, actor, unauthorised](const HttpExchange& e) {
    auto who = actor(e);
    if (!who) return unauthorised(who.error());
    return reply(
        mergeApi_->enableAutoMerge(e.params.at("owner"), e.params.at("repo"), e.params.at("number"), e.body, *who));
  });
  router_.add("POST", pr + "/disable-auto-merge", [this, reply, actor, unauthorised](const HttpExchange& e) {
    auto who = actor(e);
    if (!who) return unauthorised(who.error());
    return reply(mergeApi_->disableAutoMerge(e.params.at("owner"), e.params.at("repo"), e.params.at("number"), *who));
  });
  router_.add("POST", pr + "/merge", [this, reply, actor, unauthorised](const HttpExchange& e) {
    auto who = actor(e);
    if (!who) return unauthorised(who.error());
    return reply(mergeApi_->merge(e.params.at("owner"), e.params.at("repo"), e.params.at("number"), e.body, *who));
  });
  router_.add("GET", "/v1/admin/attr-paths/{attr}/maintainers",
              [this, reply](const HttpExchange& e) { return reply(mergeApi_->maintainers(e.params.at("attr"))); });
  for (const char* method : {"POST", "DELETE"}) {
    const bool add = std::string(method) == "POST";
    router_.add(method, "/v1/admin/attr-paths/{attr}/maintainers/{user}",
                [this, reply, actor, unauthorised, add](const HttpExchange& e) {
                  auto who = actor(e);
                  if (!who) return unauthorised(who.error());
                  if (!who->admin) {
                    return reply(sdk::Error(sdk::ErrorCode::PermissionDenied, "managing maintainers needs an admin"));
                  }
                  return reply(mergeApi_->setMaintainer(e.params.at("attr"), e.params.at("user"), add));
                });
  }
}

void Server::refreshQueueGauges() {
  auto counts = storage_->counts();
  if (!counts) {
    logger_->warn("cannot read queue depths for /metrics", {{"error", counts.error().describe()}});
    return;
  }
  std::lock_guard lock(queueGaugesMutex_);
  for (const auto& [system, depth] : counts->queuedBySystem) {
    services_->metrics()
        .gauge("build_queue_depth", "Pending builds per platform queue.", {{"platform", system}})
        .set(static_cast<double>(depth));
    queuePlatforms_.insert(system);
  }
  for (const auto& system : queuePlatforms_) {
    bool present = false;
    for (const auto& entry : counts->queuedBySystem) present = present || entry.first == system;
    if (!present) {
      services_->metrics()
          .gauge("build_queue_depth", "Pending builds per platform queue.", {{"platform", system}})
          .set(0);
    }
  }
}

sdk::Result<void> Server::run() {
  auto owned = StateDirectory::open(config_.stateDir, {config_.logsDir, config_.dbPath.parent_path()}, "eka-ci-server");
  if (!owned) return std::move(owned).error();
  stateDirectory_ = std::move(owned).value();
  // What a crash of the previous owner left running goes before anything new starts.
  for (const pid_t group : stateDirectory_->processes().reapOrphans()) {
    logger_->warn("killed a process group the previous server left running", {{"pgid", std::to_string(group)}});
  }
  services_->trackProcessesIn(&stateDirectory_->processes());
  auto storage = storage::SqliteStorage::open(config_.dbPath);
  if (!storage) return std::move(storage).error();
  storage_ = std::move(storage).value();
  logger_->info("database ready",
                {{"database", storage_->describe()}, {"schema_version", std::to_string(storage_->schemaVersion())}});

  auto& metrics = services_->metrics();
  metrics.gauge("build_info", "Build information; the value is always 1.", {{"version", EKACI_SDK_VERSION}}).set(1);
  metrics.gauge("plugins_loaded", "Plugins loaded at start-up.", {})
      .set(static_cast<double>(plugins_->loaded().size()));
  metrics.gauge("graph_cache_capacity", "Configured capacity of the derivation graph, in nodes.", {})
      .set(static_cast<double>(config_.graphLruCapacity));

  status_ = std::make_unique<StatusService>(config_, *plugins_, *storage_, started_);
  auto schedulerConfig = scheduler::SchedulerSettings::fromServerConfig(config_);
  if (!schedulerConfig) return schedulerConfig.error();
  storeConfig_ = schedulerConfig->nix;
  store_ = std::make_unique<nix::StorePathInfo>(services_->processes(), *storeConfig_);
  schedulerLogger_ = logging_.logger("scheduler");
  scheduler_ = std::make_unique<scheduler::Scheduler>(
      scheduler::Scheduler::Services{*storage_, services_->processes(), services_->clock(), services_->metrics(),
                                     *schedulerLogger_},
      std::move(schedulerConfig).value(), scheduler::SchedulerSettings::hostSystem(services_->processes()));
  publishLogger_ = logging_.logger("publish");
  auto publishing =
      publish::PublishStage::create(config_, plugins_->registry(), *services_, *storage_, *publishLogger_);
  if (!publishing) return std::move(publishing).error();
  publishing_ = std::move(publishing).value();
  if (const std::size_t restored = publishing_->publisher().restore(); restored > 0) {
    logger_->info("the after-build work of " + std::to_string(restored) + " open jobsets was restored");
  }
  scheduler_->setListener(&publishing_->publisher());
  if (auto started = scheduler_->start(); !started) return started;
  builds_ = std::make_unique<BuildService>(*scheduler_, *storage_);
  approvals_ = std::make_unique<ApprovalCommands>(*storage_, services_->clock());
  reviewApi_ = std::make_unique<forge::ReviewApi>(*storage_);
  auto forge = forge::ForgeService::create(forge::ForgeService::Services{config_, environment_, plugins_->registry(),
                                                                         *services_, *storage_, *scheduler_,
                                                                         store_.get(), &publishing_->publisher()});
  if (!forge) return std::move(forge).error();
  forge_ = std::move(forge).value();
  mergeApi_ = std::make_unique<forge::MergeApi>(*storage_, forge_->merger(), forge_->authority(), services_->clock());
  tokens_ = std::make_unique<ApiTokens>(
      config_.oauth.jwtSecret ? config_.oauth.jwtSecret->duplicate() : ApiTokens::randomSecret(), services_->clock());
  mergeCommands_ = std::make_unique<MergeSocketCommands>(*mergeApi_, *tokens_);
  commands_ =
      std::make_unique<ClientCommands>(*status_, *logger_, builds_.get(), approvals_.get(), mergeCommands_.get());
  buildRoutes();
  buildForgeRoutes();

  httpLogger_ = logging_.logger("http");
  HttpServer::Limits httpLimits;
  httpLimits.maxConnectionsPerAddress = static_cast<std::size_t>(config_.web.maxConnectionsPerAddress);
  httpLimits.maxConnections = static_cast<std::size_t>(config_.web.maxConnections);
  httpLimits.headTimeout = httpLimits.keepAliveTimeout = std::chrono::seconds(config_.web.requestTimeoutSeconds);
  httpLimits.bodyTimeout = 3 * httpLimits.headTimeout;
  httpLimits.maxBodyBytes = forge::WebhookIntake::kMaxBodyBytes;
  http_ = std::make_unique<HttpServer>(router_, *httpLogger_, metrics, httpLimits);
  if (auto started = http_->start(config_.web.address, config_.web.port); !started) return started;
  status_->setHttpPort(http_->port());
  if (auto started = forge_->start(config_.web.publicUrl.empty()
                                       ? "http://" + config_.web.address + ":" + std::to_string(http_->port())
                                       : config_.web.publicUrl);
      !started) {
    return started;
  }

  socketLogger_ = logging_.logger("socket");
  socket_ = std::make_unique<UnixSocketServer>(
      config_.socketPath,
      [this](const std::string& request) { return sdk::UntrustedText::validUtf8(commands_->handle(request)); },
      *socketLogger_, UnixSocketServer::Limits{});
  if (auto started = socket_->start(); !started) return started;
  logger_->info("eka-ci server ready", {{"version", EKACI_SDK_VERSION},
                                        {"http", config_.web.address + ":" + std::to_string(http_->port())},
                                        {"socket", config_.socketPath.string()}});
  return sdk::success();
}

void Server::stop() {
  if (!logger_) return;
  const bool wasRunning = http_ || socket_;
  if (forge_) forge_->stop();
  if (scheduler_) scheduler_->shutdown(std::chrono::seconds(config_.builders.shutdownGraceSeconds));
  if (socket_) socket_->stop();
  if (http_) http_->stop();
  socket_.reset();
  http_.reset();
  forge_.reset();
  builds_.reset();
  scheduler_.reset();
  publishing_.reset();  // after the scheduler that tells it of builds; stops its workers
  if (services_) services_->trackProcessesIn(nullptr);
  storage_.reset();  // checkpoints the WAL and closes the database
  if (wasRunning) logger_->info("eka-ci server stopped");
  logging_.flush();
}

}  // namespace ekaci::server
