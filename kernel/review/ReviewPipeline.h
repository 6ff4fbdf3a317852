#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Evaluator.h"
#include "ekaci/sdk/Result.h"
#include "kernel/config/RepoConfigReader.h"
#include "kernel/config/ServerConfig.h"
#include "kernel/graph/DrvGraph.h"
#include "kernel/plugin_host/InstanceLifecycle.h"
#include "kernel/plugin_host/PluginRegistry.h"
#include "kernel/review/ReviewReport.h"
#include "kernel/services/ServiceHub.h"
#include "kernel/storage/Storage.h"

namespace ekaci::git {
class GitRepository;
}

namespace ekaci::review {

struct ReviewRequest {
  std::string repository;  // local path or URL
  std::string base;        // empty: merge base of head with the default branch (head's parent if equal)
  std::string head;        // empty: the source repository's HEAD
  // base is a branch tip (a pull request's base): review against merge-base(base, head).
  bool baseIsBranchTip = false;
  // Where head comes from when it is not in `repository` (a pull request from a fork).
  std::string headRepository;
  const sdk::CloneCredentials* credentials = nullptr;  // for fetching `repository`
  // How the repository is stored; empty forgeId: "local", named after `repository`.
  std::string forgeId, owner, name;
  std::vector<std::string> jobs;     // empty: every job of the repository's configuration
  std::vector<std::string> systems;  // for flake checks; empty: this machine's system
  std::size_t workers = 2;
  std::size_t maxMemoryMiB = 4096;
  bool reuseEvaluations = true;
  const std::atomic<bool>* cancel = nullptr;
};

// Progress for a person watching: the current step out of the steps known so far (fetch,
// check out, configuration, then per job: base evaluation, head evaluation, impact), and one
// line saying what is happening ("job packages at head 1a2b3c: 120 attributes").
struct ReviewStep {
  ReviewStep() = default;
  ReviewStep(std::size_t step_, std::size_t total_, std::string line_, std::vector<std::string> jobs_ = {})
      : step(step_), total(total_), line(std::move(line_)), jobs(std::move(jobs_)) {}

  std::size_t step = 0;
  std::size_t total = 0;
  std::string line;
  // Set once, when the configuration was read: the jobs this review evaluates.
  std::vector<std::string> jobs;
};
using ReviewProgress = std::function<void(const ReviewStep& step)>;

// The review of one change: mirror and fetch the repository, check out base and head in
// parallel, read the (untrusted) repository configuration, evaluate every job at both
// revisions through the evaluator plugins (reusing stored evaluations of the same commit and
// job), diff and classify, walk the head closure for the rebuild impact. The CLI's
// `ekaci review` and the server run this same code.
class ReviewPipeline {
 public:
  struct Services {
    storage::Storage& storage;
    const plugin_host::PluginRegistry& plugins;
    services::ServiceHub& hub;
    std::filesystem::path stateDirectory;
    config::RepoConfigReader::ServerPolicy policy;
    std::size_t graphCapacity = 100000;
    sdk::Value evaluatorSettings = sdk::Value::table();  // type -> settings
  };

  // The services as the server's configuration defines them (policy, graph capacity,
  // evaluator settings).
  static Services servicesFor(const config::ServerConfig& config, storage::Storage& storage,
                              const plugin_host::PluginRegistry& plugins, services::ServiceHub& hub);

  explicit ReviewPipeline(Services services);
  ~ReviewPipeline();

  sdk::Result<ReviewReport> run(const ReviewRequest& request, const ReviewProgress& progress);

  // Where the bare mirror of a repository lives under the state directory.
  std::filesystem::path mirrorDirectory(const std::string& repository) const;

 private:
  void recordGraphMetrics(const graph::DrvGraph& graph);
  struct Evaluation {
    std::vector<sdk::EvalItem> items;
    std::optional<std::string> failure;
    bool fromCache = false;
    std::int64_t jobsetId = 0;
    std::int64_t millis = 0;
  };
  sdk::Result<Evaluation> evaluate(std::int64_t repositoryId, const std::string& sha,
                                   const std::filesystem::path& checkout, const config::JobConfig& job,
                                   const ReviewRequest& request, const std::string& label,
                                   const ReviewProgress& progress);

  struct EvaluatorSlot {
    std::unique_ptr<services::KernelHostServices> host;  // outlives the evaluator
    std::unique_ptr<sdk::Evaluator> evaluator;           // guarded; null when `error` says why
    std::optional<sdk::Error> error;
  };

  Services services_;
  std::map<std::string, EvaluatorSlot> evaluators_;  // type -> instance, created by the constructor
  plugin_host::InstanceLifecycle lifecycle_;
};

}  // namespace ekaci::review
