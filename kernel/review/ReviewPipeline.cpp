#include "kernel/review/ReviewPipeline.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SHA1Engine.h>

#include <chrono>
#include <future>
#include <set>
#include <sstream>

#include "kernel/config/Glob.h"
#include "kernel/git/CheckoutArea.h"
#include "kernel/git/GitRepository.h"
#include "kernel/graph/ClosureStore.h"
#include "kernel/graph/ClosureWalker.h"
#include "kernel/plugin_host/GuardedEvaluator.h"
#include "kernel/review/JobsetDiff.h"
#include "kernel/review/RebuildImpact.h"

namespace ekaci::review {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t millisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::string sha1(const std::string& text) {
  Poco::SHA1Engine engine;
  engine.update(text);
  return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string jsonArray(const std::vector<std::string>& items) {
  Poco::JSON::Array array;
  for (const auto& item : items) array.add(item);
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

std::vector<std::string> parseArray(const std::optional<std::string>& json) {
  std::vector<std::string> out;
  if (!json || json->empty()) return out;
  try {
    Poco::JSON::Parser parser;
    auto array = parser.parse(*json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i)
      out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
  } catch (const std::exception&) {
    // Stored by us; a malformed value reads as empty rather than failing the review.
  }
  return out;
}

// A local repository is identified by its absolute path, anything else by its URL.
std::string normaliseRepository(const std::string& repository) {
  std::error_code ec;
  if (repository.find("://") == std::string::npos && std::filesystem::exists(repository, ec)) {
    return std::filesystem::canonical(repository, ec).string();
  }
  return repository;
}

// What the change sets say about a diff: the kind of change when every file is covered by
// a rule that needs no evaluation, otherwise nothing.
std::optional<std::string> changeSetVerdict(const std::vector<std::string>& files,
                                            const std::vector<config::ChangeSetRule>& rules) {
  if (files.empty() || rules.empty()) return std::nullopt;
  std::set<std::string> kinds;
  for (const auto& file : files) {
    const config::ChangeSetRule* match = nullptr;
    for (const auto& rule : rules) {
      for (const auto& pattern : rule.paths) {
        if (config::Glob::match(pattern, file)) {
          match = &rule;
          break;
        }
      }
      if (match != nullptr) break;
    }
    if (match == nullptr) return std::nullopt;
    if (match->kind != config::ChangeKind::DocsOnly && match->kind != config::ChangeKind::NoOp) return std::nullopt;
    kinds.insert(match->kind == config::ChangeKind::DocsOnly ? "docs-only" : "no-op");
  }
  std::string list;
  for (const auto& k : kinds) list += (list.empty() ? "" : ", ") + k;
  return "all " + std::to_string(files.size()) + " changed files match change sets (" + list +
         "); no rebuilds expected";
}

}  // namespace

ReviewPipeline::Services ReviewPipeline::servicesFor(const config::ServerConfig& config, storage::Storage& storage,
                                                     const plugin_host::PluginRegistry& plugins,
                                                     services::ServiceHub& hub) {
  config::RepoConfigReader::ServerPolicy policy;
  for (const auto& cache : config.caches) policy.cacheIds.push_back(cache.id);
  policy.allowedHookCommands = config.security.allowedHookCommands;
  policy.maxJobs = static_cast<std::size_t>(config.maxJobsPerConfig);
  return Services{storage,          plugins,           hub,
                  config.stateDir,  std::move(policy), static_cast<std::size_t>(config.graphLruCapacity),
                  config.evaluators};
}

ReviewPipeline::ReviewPipeline(Services services) : services_(std::move(services)) {
  // One guarded, started instance per loaded evaluator type serves every evaluation; a type
  // that cannot be created answers its error to the jobs that name it.
  for (const auto& type : services_.plugins.types(sdk::PluginKind::Evaluator)) {
    EvaluatorSlot& slot = evaluators_[type];
    auto host = services_.hub.hostFor(sdk::PluginKind::Evaluator, type, "review");
    if (!host) {
      slot.error = std::move(host).error();
      continue;
    }
    slot.host = std::move(host).value();
    const sdk::Value* settings = services_.evaluatorSettings.find(type);
    const plugin_host::PluginCallGuard guard("evaluator " + type + "/review", *slot.host);
    auto made = guard.call<std::unique_ptr<sdk::Evaluator>>("create", [&] {
      return services_.plugins.evaluator(type)->create(settings != nullptr ? *settings : sdk::Value::table(),
                                                       *slot.host);
    });
    if (!made) {
      slot.error = std::move(made).error().withContext("evaluator '" + type + "'");
      continue;
    }
    auto guarded = std::make_unique<plugin_host::GuardedEvaluator>(std::move(made).value(), guard);
    if (auto started = lifecycle_.start(*guarded, "evaluator '" + type + "'"); !started) {
      slot.error = std::move(started).error();
      continue;
    }
    slot.evaluator = std::move(guarded);
  }
}

void ReviewPipeline::recordGraphMetrics(const graph::DrvGraph& graph) {
  // A review's graph lives as long as the review and is cut at graph_lru_capacity; the
  // manual's graph_* metrics are the build graph's (kernel/scheduler/BuildGraphMonitor).
  auto& metrics = services_.hub.metrics();
  metrics.gauge("review_graph_nodes", "Derivations in the dependency graph of the last review.", {})
      .set(static_cast<double>(graph.size()));
  metrics.gauge("review_graph_memory_bytes", "Memory held by the dependency graph of the last review, in bytes.", {})
      .set(static_cast<double>(graph.memoryBytes()));
  services_.hub.logging().logger("review")->info("review graph", {{"nodes", std::to_string(graph.size())},
                                                                  {"capacity", std::to_string(services_.graphCapacity)},
                                                                  {"cut", graph.truncated() ? "yes" : "no"}});
}

ReviewPipeline::~ReviewPipeline() {
  lifecycle_.stopAll();
  for (auto& [type, slot] : evaluators_) slot.evaluator.reset();
}

std::filesystem::path ReviewPipeline::mirrorDirectory(const std::string& repository) const {
  return services_.stateDirectory / "git" / (sha1(normaliseRepository(repository)).substr(0, 16) + ".git");
}

sdk::Result<ReviewPipeline::Evaluation> ReviewPipeline::evaluate(std::int64_t repositoryId, const std::string& sha,
                                                                 const std::filesystem::path& checkout,
                                                                 const config::JobConfig& job,
                                                                 const ReviewRequest& request, const std::string& label,
                                                                 const ReviewProgress& progress) {
  const auto started = Clock::now();
  Evaluation evaluation;
  auto commitId = services_.storage.upsertCommit(repositoryId, sha);
  if (!commitId) return std::move(commitId).error();
  // The stored evaluation is reused only for the same commit and the same job definition.
  // "2": evaluations that keep derivations whose metadata fails (older ones dropped them).
  const std::string definition =
      "2\n" + job.evaluator + "\n" + job.file + "\n" + job.attrPath + "\n" + jsonArray(request.systems);
  const std::string key = job.name + "@" + sha1(definition).substr(0, 12);
  auto existing = services_.storage.findJobset(*commitId, key);
  if (!existing) return std::move(existing).error();
  if (request.reuseEvaluations && existing->has_value() && (*existing)->evalState == storage::EvalState::Succeeded) {
    auto stored = services_.storage.loadJobset((*existing)->id);
    if (!stored) return std::move(stored).error();
    for (const auto& s : *stored) {
      sdk::EvalItem item;
      item.attrPath = s.job.attrPath;
      item.error = s.job.evalError;
      item.drvPath = s.drvPath;
      item.outputs = s.outputs;
      item.system = s.job.system.value_or("");
      item.meta.pname = s.job.pname.value_or("");
      item.meta.version = s.job.version.value_or("");
      item.meta.licenses = parseArray(s.job.licenseJson);
      item.meta.maintainers = parseArray(s.job.maintainersJson);
      item.meta.tests = parseArray(s.job.testsJson);
      item.meta.warnings = parseArray(s.job.metaWarningsJson);
      evaluation.items.push_back(std::move(item));
    }
    evaluation.fromCache = true;
    evaluation.jobsetId = (*existing)->id;
    evaluation.millis = millisSince(started);
    if (progress)
      progress({0, 0, label + ": " + std::to_string(evaluation.items.size()) + " attributes (stored evaluation)"});
    return evaluation;
  }
  std::int64_t jobsetId = 0;
  if (existing->has_value()) {
    jobsetId = (*existing)->id;
    if (auto reset = services_.storage.resetJobset(jobsetId); !reset) return std::move(reset).error();
  } else {
    storage::JobsetRecord record;
    record.repositoryId = repositoryId;
    record.commitId = *commitId;
    record.jobName = key;
    record.evalState = storage::EvalState::Running;
    auto created = services_.storage.createJobset(record);
    if (!created) return std::move(created).error();
    jobsetId = *created;
  }
  evaluation.jobsetId = jobsetId;

  auto slot = evaluators_.find(job.evaluator);
  if (slot == evaluators_.end()) {
    return sdk::Error(sdk::ErrorCode::ConfigPluginUnavailable, "job " + job.name + " needs the '" + job.evaluator +
                                                                   "' evaluator, which no loaded plugin provides");
  }
  if (!slot->second.evaluator) return *slot->second.error;
  sdk::Evaluator* evaluator = slot->second.evaluator.get();

  sdk::EvalRequest evalRequest;
  evalRequest.checkoutDirectory = checkout.string();
  evalRequest.file = job.file;
  evalRequest.attrPath = job.attrPath;
  evalRequest.systems = request.systems;
  evalRequest.workers = request.workers;
  evalRequest.maxMemoryMiBPerWorker = request.maxMemoryMiB;
  evalRequest.cancel = request.cancel;
  std::size_t errors = 0;
  auto lastReport = Clock::now();
  auto summary = evaluator->evaluate(evalRequest, [&](sdk::EvalItem item) {
    if (item.error) ++errors;
    evaluation.items.push_back(std::move(item));
    if (progress && Clock::now() - lastReport > std::chrono::milliseconds(500)) {
      lastReport = Clock::now();
      progress({0, 0,
                label + ": " + std::to_string(evaluation.items.size()) + " attributes, " + std::to_string(errors) +
                    " errors so far"});
    }
  });
  evaluation.millis = millisSince(started);
  if (!summary) {
    if (summary.error().code() == sdk::ErrorCode::Cancelled) return std::move(summary).error();
    evaluation.failure = summary.error().message();
    (void)services_.storage.finishJobset(jobsetId, storage::EvalState::Failed, *evaluation.failure, 0, 0);
    if (progress) progress({0, 0, label + ": does not evaluate"});
    return evaluation;
  }

  // Store the evaluation: derivations with their outputs, then one job per attribute.
  std::vector<storage::DrvRecord> drvs;
  std::vector<std::size_t> drvItem;
  for (std::size_t i = 0; i < evaluation.items.size(); ++i) {
    const auto& item = evaluation.items[i];
    if (item.error) continue;
    storage::DrvRecord d;
    d.drvPath = item.drvPath;
    d.system = item.system;
    d.outputs = item.outputs;
    drvs.push_back(std::move(d));
    drvItem.push_back(i);
  }
  auto ids = services_.storage.upsertDrvs(drvs);
  if (!ids) return std::move(ids).error();
  std::vector<std::optional<std::int64_t>> drvIdOf(evaluation.items.size());
  for (std::size_t k = 0; k < drvItem.size(); ++k) drvIdOf[drvItem[k]] = (*ids)[k];
  std::vector<storage::JobRecord> jobs;
  jobs.reserve(evaluation.items.size());
  for (std::size_t i = 0; i < evaluation.items.size(); ++i) {
    const auto& item = evaluation.items[i];
    storage::JobRecord record;
    record.attrPath = item.attrPath;
    record.drvId = drvIdOf[i];
    record.evalError = item.error;
    if (!item.error) {
      record.system = item.system;
      record.pname = item.meta.pname;
      record.version = item.meta.version;
      record.licenseJson = jsonArray(item.meta.licenses);
      record.maintainersJson = jsonArray(item.meta.maintainers);
      record.testsJson = jsonArray(item.meta.tests);
      if (!item.meta.warnings.empty()) record.metaWarningsJson = jsonArray(item.meta.warnings);
    }
    jobs.push_back(std::move(record));
  }
  if (auto stored = services_.storage.insertJobs(jobsetId, jobs); !stored) return std::move(stored).error();
  if (auto finished = services_.storage.finishJobset(jobsetId, storage::EvalState::Succeeded, "",
                                                     static_cast<std::int64_t>(summary->attributes),
                                                     static_cast<std::int64_t>(summary->errors));
      !finished) {
    return std::move(finished).error();
  }
  if (progress) {
    progress({0, 0,
              label + ": " + std::to_string(summary->attributes) + " attributes, " + std::to_string(summary->errors) +
                  " errors (" + std::to_string(evaluation.millis) + " ms)"});
  }
  return evaluation;
}

sdk::Result<ReviewReport> ReviewPipeline::run(const ReviewRequest& request, const ReviewProgress& progress) {
  const auto started = Clock::now();
  std::size_t step = 0, total = 3;
  auto say = [&](const std::string& line) {
    if (progress) progress(ReviewStep{step, total, line});
  };
  ReviewReport report;
  report.repository = normaliseRepository(request.repository);
  report.baseRevision = request.base;
  report.headRevision = request.head;

  ++step;
  say("fetching " + report.repository);
  auto repository =
      git::GitRepository::mirror(report.repository, mirrorDirectory(request.repository), request.credentials);
  if (!repository) return std::move(repository).error();
  git::GitRepository& repo = **repository;
  if (!request.headRepository.empty() && !request.head.empty() && !repo.resolve(request.head)) {
    say("fetching the head from " + request.headRepository);
    if (auto fetched = repo.fetchFrom(request.headRepository); !fetched) return std::move(fetched).error();
  }

  std::string headRevision = request.head;
  if (headRevision.empty()) {
    if (repo.sourceHead().empty())
      return sdk::Error(sdk::ErrorCode::NotFound, "the repository has no HEAD; pass --head");
    headRevision = repo.sourceHead();
  }
  auto head = repo.resolve(headRevision);
  if (!head) {
    return sdk::Error(head.error().code(),
                      head.error().message() + (request.head.empty() ? " (HEAD of the source is not on any branch; "
                                                                       "pass --head)"
                                                                     : ""));
  }
  std::string baseRevision = request.base;
  if (baseRevision.empty()) {
    auto branch = repo.defaultBranch();
    if (!branch) return std::move(branch).error();
    auto mergeBase = repo.mergeBase(*head, "refs/heads/" + *branch);
    if (!mergeBase) return std::move(mergeBase).error();
    baseRevision = *mergeBase;
    if (baseRevision == *head) baseRevision = *head + "~1";  // reviewing a commit on the default branch
  }
  auto base = repo.resolve(baseRevision);
  if (!base) return std::move(base).error();
  if (request.baseIsBranchTip) {
    auto mergeBase = repo.mergeBase(*head, *base);
    if (!mergeBase) return std::move(mergeBase).error();
    base = std::move(mergeBase);
  }
  report.baseSha = *base;
  report.headSha = *head;
  report.baseSubject = repo.subject(*base).valueOr("");
  report.headSubject = repo.subject(*head).valueOr("");
  auto changed = repo.changedFiles(*base, *head);
  if (!changed) return std::move(changed).error();
  report.changedFiles = *changed;
  say("reviewing " + report.baseSha.substr(0, 12) + ".." + report.headSha.substr(0, 12) + " (" +
      std::to_string(report.changedFiles.size()) + " files changed)");

  ++step;
  // Check out both sides in parallel; each checkout is removed when the review ends.
  git::CheckoutArea area(services_.stateDirectory / "checkouts");
  area.prune();
  auto baseCheckoutFuture = std::async(std::launch::async, [&] {
    auto r = git::GitRepository::open(repo.directory());
    if (!r) return sdk::Result<std::unique_ptr<git::CheckoutArea::Checkout>>(std::move(r).error());
    return area.checkout(**r, report.baseSha);
  });
  auto headCheckout = area.checkout(repo, report.headSha);
  auto baseCheckout = baseCheckoutFuture.get();
  if (!headCheckout) return std::move(headCheckout).error();
  if (!baseCheckout) return std::move(baseCheckout).error();

  ++step;
  config::RepoConfigReader reader(services_.policy);
  auto repoConfig = reader.read((*headCheckout)->directory());
  if (!repoConfig) return std::move(repoConfig).error().withContext("repository configuration at head");
  for (const auto& warning : repoConfig->warnings) report.warnings.push_back(warning);
  report.presentation.packageChanges = repoConfig->packageChangeSummary.enabled;
  report.presentation.maxPackagesListed = static_cast<std::size_t>(repoConfig->packageChangeSummary.maxPackagesListed);
  report.presentation.includeRebuildOnly = repoConfig->packageChangeSummary.includeRebuildOnly;
  report.presentation.rebuildImpact = repoConfig->rebuildImpact.enabled;

  if (auto verdict = changeSetVerdict(report.changedFiles, repoConfig->changeSets)) {
    report.skippedBecause = *verdict;
    report.totalMillis = millisSince(started);
    say(*verdict);
    return report;
  }

  storage::RepositoryRecord record;
  record.forgeId = request.forgeId.empty() ? "local" : request.forgeId;
  record.owner = request.owner;
  record.name = request.forgeId.empty() ? report.repository : request.name;
  record.cloneUrl = report.repository;
  auto repositoryId = services_.storage.upsertRepository(record);
  if (!repositoryId) return std::move(repositoryId).error();

  std::vector<const config::JobConfig*> selected;
  for (const auto& job : repoConfig->jobs) {
    if (request.jobs.empty() || std::find(request.jobs.begin(), request.jobs.end(), job.name) != request.jobs.end()) {
      selected.push_back(&job);
    }
  }
  total += 3 * selected.size();
  if (progress) {
    ReviewStep announced{step, total, "configuration read: " + std::to_string(selected.size()) + " jobs", {}};
    for (const auto* job : selected) announced.jobs.push_back(job->name);
    progress(announced);
  }
  // Evaluations report through the same progress, as the current step.
  const ReviewProgress stepProgress = [&](const ReviewStep& inner) { say(inner.line); };
  for (const auto* jobPointer : selected) {
    const auto& job = *jobPointer;
    JobReview review;
    review.job = job.name;
    review.evaluator = job.evaluator;
    review.allowEvalFailures = job.allowEvalFailures;
    review.caches = job.caches;
    review.postBuildHooks = job.postBuildHooks;
    review.fodPostBuildHooks = job.fodPostBuildHooks;
    if (job.sizeCheck) review.sizeLimitPercent = job.sizeCheck->maxIncreasePercent;
    ++step;
    auto baseEval = evaluate(*repositoryId, report.baseSha, (*baseCheckout)->directory(), job, request,
                             "job " + job.name + " at base " + report.baseSha.substr(0, 12), stepProgress);
    if (!baseEval) return std::move(baseEval).error();
    ++step;
    auto headEval = evaluate(*repositoryId, report.headSha, (*headCheckout)->directory(), job, request,
                             "job " + job.name + " at head " + report.headSha.substr(0, 12), stepProgress);
    if (!headEval) return std::move(headEval).error();
    review.baseFailure = baseEval->failure;
    review.headFailure = headEval->failure;
    review.baseFromCache = baseEval->fromCache;
    review.baseJobsetId = baseEval->jobsetId;
    review.headJobsetId = headEval->jobsetId;
    review.headFromCache = headEval->fromCache;
    review.baseEvalMillis = baseEval->millis;
    review.headEvalMillis = headEval->millis;
    review.baseAttributes = baseEval->items.size();
    review.headAttributes = headEval->items.size();
    if (!review.headFailure) {
      JobsetDiff::compute(baseEval->items, headEval->items, review);
      for (const auto& item : headEval->items) {
        if (!item.error && !item.meta.warnings.empty())
          review.metadataWarnings.emplace_back(item.attrPath, item.meta.warnings);
      }
      std::sort(review.metadataWarnings.begin(), review.metadataWarnings.end());

      const auto impactStarted = Clock::now();
      std::vector<std::string> roots;
      for (const auto& item : headEval->items) {
        if (!item.error) roots.push_back(item.drvPath);
      }
      ++step;
      say("job " + job.name + ": walking the closure of " + std::to_string(roots.size()) + " derivations");
      graph::ClosureWalker::Options walkOptions;
      walkOptions.threads = 2;
      walkOptions.capacity = services_.graphCapacity;
      walkOptions.cancel = request.cancel;
      graph::ClosureWalk walk = graph::ClosureWalker::walk(roots, walkOptions);
      review.unreadableDerivations = walk.unreadable;
      recordGraphMetrics(walk.graph);
      if (walk.graph.truncated()) {
        review.notes.push_back("the dependency graph was cut at graph_lru_capacity = " +
                               std::to_string(services_.graphCapacity) + " derivations; blast radii are lower bounds");
      }
      for (const auto& [path, why] : walk.unreadable) {
        review.notes.push_back("derivation " + path + " could not be read: " + why);
      }
      // Store the closure: derivations (batched) and their references.
      if (auto stored = graph::ClosureStore::save(walk, services_.storage); !stored) {
        return std::move(stored).error();
      }

      RebuildImpact::Options impact;
      impact.top = static_cast<std::size_t>(repoConfig->rebuildImpact.maxTopBlastRadius);
      impact.full = repoConfig->rebuildImpact.computeFullBlastRadius;
      RebuildImpact::compute(walk.graph, headEval->items, review, impact);
      review.impactMillis = millisSince(impactStarted);
    }
    report.jobs.push_back(std::move(review));
  }
  if (!request.jobs.empty() && report.jobs.empty()) {
    return sdk::Error(sdk::ErrorCode::NotFound,
                      "no job named " + request.jobs.front() + " in the repository configuration");
  }
  report.totalMillis = millisSince(started);
  return report;
}

}  // namespace ekaci::review
