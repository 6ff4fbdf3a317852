#include "cli/ReviewCommand.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "kernel/config/ErrorPolicy.h"
#include "kernel/publish/PublishStage.h"
#include "kernel/review/JsonRenderer.h"
#include "kernel/review/MarkdownRenderer.h"
#include "kernel/review/ReviewService.h"
#include "kernel/review/SizeFormat.h"
#include "kernel/scheduler/SchedulerSettings.h"
#include "kernel/server/Bootstrap.h"
#include "kernel/server/StateDirectory.h"
#include "kernel/services/Logging.h"
#include "kernel/storage/SqliteStorage.h"

namespace ekaci::cli {
namespace {

constexpr const char* kUsage = R"(Usage: ekaci review [options]

Reviews a change of a Nix repository the way eka-ci reviews a pull request: evaluates
every job at base and head, and reports which packages were added, removed, bumped,
renamed or rebuilt, which evaluation errors are new, fixed or still there, how many
derivations rebuild per system and which changes have the largest blast radius.
No server and no forge are needed.

Options:
  --repo PATH|URL   Repository to review (default: the current directory)
  --head REV        Revision under review (default: the repository's HEAD)
  --base REV        Revision to compare with (default: the merge base of head with the
                    default branch; head's parent when head is on the default branch)
  --job NAME        Review only this job (repeatable)
  --system SYSTEM   System for flake checks (repeatable; default: this machine's)
  --json FILE       Write the full report as JSON ("-" for stdout)
  --markdown FILE   Write the Markdown summary to FILE instead of stdout
  --workers N       Evaluator worker processes (default: evaluation_workers, 2)
  --no-cache        Evaluate again even when a stored evaluation exists
  --build           Also build every new and changed job (and, to compare, the base
                    revision of each changed one) and report newly failing, newly
                    succeeding, still failing and still succeeding jobs, and how
                    output and closure sizes move (size_check limits warn)
  --no-base-builds  With --build: do not build base revisions (unknown base results
                    count as successes)
  --rebuild         With --build: build again what failed before, instead of answering
                    from the failure cache ([builders] failure_cache_seconds)
  --branch NAME     With --build: the branch the caches' permissions are checked against
                    (default: --head when it names a branch)
  --name OWNER/NAME With --build: the repository the caches' permissions are checked
                    against (default: the last two parts of --repo)

With --build, successful builds run each job's post_build_hooks and are pushed to each
job's caches as the server configuration (--config) defines them, exactly as the server
does; the review waits for the pushes before it exits.
  --quiet           No progress on stderr
  -h, --help        Show this help

Exit status: 0 evaluation is clean (and, with --build, nothing newly fails), 1 the change
breaks evaluation or a build, 2 usage or configuration error, 3 the review could not be
carried out.
)";

std::filesystem::path selfExecutable() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path("/usr/local/bin/ekaci") : self;
}

bool writeFile(const std::string& path, const std::string& text, std::ostream& out, std::ostream& err) {
  if (path == "-") {
    out << text;
    return true;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  if (!file) {
    err << "ekaci review: cannot write " << path << "\n";
    return false;
  }
  return true;
}

// "owner/name" from a path or URL: its last two parts, without ".git".
std::string repositoryName(std::string location) {
  while (!location.empty() && location.back() == '/') location.pop_back();
  if (location.size() > 4 && location.compare(location.size() - 4, 4, ".git") == 0)
    location.resize(location.size() - 4);
  if (location == "." || location.empty()) {
    std::error_code ec;
    location = std::filesystem::current_path(ec).string();
  }
  const auto last = location.find_last_of("/:");
  if (last == std::string::npos) return location;
  const auto before = location.find_last_of("/:", last == 0 ? 0 : last - 1);
  return location.substr(before == std::string::npos || last == 0 ? 0 : before + 1);
}

bool looksLikeCommit(const std::string& rev) {
  if (rev.size() < 7 || rev.size() > 40) return false;
  return std::all_of(rev.begin(), rev.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

const char* ReviewCommand::usage() {
  return kUsage;
}

int ReviewCommand::run(const std::vector<std::string>& args, const std::string& configFile) {
  review::ReviewRequest request;
  request.repository = ".";
  std::string jsonFile, markdownFile;
  std::optional<std::size_t> workers;
  bool quiet = false, build = false;
  review::ReviewBuilder::Options buildOptions;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        err_ << "ekaci review: " << a << " needs a value\n";
        return std::nullopt;
      }
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      out_ << kUsage;
      return 0;
    }
    std::optional<std::string> v;
    if (a == "--repo" || a == "--head" || a == "--base" || a == "--job" || a == "--system" || a == "--json" ||
        a == "--markdown" || a == "--workers" || a == "--branch" || a == "--name") {
      v = value();
      if (!v) return exitCode(config::ExitStatus::Usage);
    }
    if (a == "--repo") {
      request.repository = *v;
    } else if (a == "--head") {
      request.head = *v;
    } else if (a == "--base") {
      request.base = *v;
    } else if (a == "--job") {
      request.jobs.push_back(*v);
    } else if (a == "--system") {
      request.systems.push_back(*v);
    } else if (a == "--branch") {
      buildOptions.branch = *v;
    } else if (a == "--name") {
      buildOptions.repository = *v;
    } else if (a == "--json") {
      jsonFile = *v;
    } else if (a == "--markdown") {
      markdownFile = *v;
    } else if (a == "--workers") {
      try {
        workers = static_cast<std::size_t>(std::stoul(*v));
      } catch (const std::exception&) {
        err_ << "ekaci review: --workers takes a number\n";
        return exitCode(config::ExitStatus::Usage);
      }
    } else if (a == "--no-cache") {
      request.reuseEvaluations = false;
    } else if (a == "--quiet") {
      quiet = true;
    } else if (a == "--build") {
      build = true;
    } else if (a == "--no-base-builds") {
      buildOptions.buildBase = false;
    } else if (a == "--rebuild") {
      buildOptions.forgetFailures = true;
    } else {
      err_ << "ekaci review: unknown option '" << a << "'\n\n" << kUsage;
      return exitCode(config::ExitStatus::Usage);
    }
  }

  if (!build && (!buildOptions.buildBase || buildOptions.forgetFailures || !buildOptions.branch.empty() ||
                 !buildOptions.repository.empty())) {
    err_ << "ekaci review: "
         << (buildOptions.forgetFailures    ? "--rebuild"
             : !buildOptions.buildBase      ? "--no-base-builds"
             : !buildOptions.branch.empty() ? "--branch"
                                            : "--name")
         << " only applies with --build\n";
    return exitCode(config::ExitStatus::Usage);
  }
  if (buildOptions.repository.empty()) buildOptions.repository = repositoryName(request.repository);
  if (buildOptions.branch.empty() && !request.head.empty() && !looksLikeCommit(request.head)) {
    buildOptions.branch = request.head.rfind("refs/heads/", 0) == 0 ? request.head.substr(11) : request.head;
  }

  // Logs go to stderr, quietly unless asked for.
  const std::string spec = environment_.nonEmpty("EKACI_LOG").value_or("warn");
  auto filter = services::LogFilter::parse(spec);
  if (!filter) {
    err_ << "ekaci review: EKACI_LOG: " << filter.error().message() << "\n";
    return exitCode(config::ExitStatus::Usage);
  }
  services::Logging logging(*filter);
  auto logger = logging.logger("review");
  std::optional<std::filesystem::path> configPath;
  if (!configFile.empty()) configPath = configFile;
  auto prepared = server::Bootstrap::prepare(configPath, selfExecutable(), environment_, *logger);
  if (!prepared) {
    err_ << "ekaci review: configuration rejected:\n" << prepared.error().message() << "\n";
    return exitCode(config::ExitStatus::Usage);
  }
  const auto& config = prepared->config;
  request.workers = workers.value_or(static_cast<std::size_t>(config.evaluationWorkers));
  request.maxMemoryMiB = static_cast<std::size_t>(config.evaluationMaxMemoryMiB);

  // One builder per state directory; a review that only evaluates shares it.
  std::unique_ptr<server::StateDirectory> owned;
  const std::vector<std::filesystem::path> dirs = {config.logsDir, config.dbPath.parent_path()};
  if (build) {
    auto opened = server::StateDirectory::open(config.stateDir, dirs, "ekaci review --build");
    if (!opened) {
      err_ << "ekaci review: " << opened.error().describe() << "\n";
      return exitCode(config::ExitStatus::CouldNot);
    }
    owned = std::move(opened).value();
  } else if (auto prepared = server::StateDirectory::preparePrivate({config.stateDir, dirs[0], dirs[1]}); !prepared) {
    err_ << "ekaci review: " << prepared.error().describe() << "\n";
    return exitCode(config::ExitStatus::CouldNot);
  }
  auto storage = storage::SqliteStorage::open(config.dbPath);
  if (!storage) {
    err_ << "ekaci review: " << storage.error().describe() << "\n";
    return exitCode(config::ExitStatus::CouldNot);
  }
  services::ServiceHub hub(logging, prepared->plugins->registry(), config.stateDir);
  if (owned) {
    // What a crash of the previous owner left running goes before anything new starts.
    for (const pid_t group : owned->processes().reapOrphans()) {
      logger->warn("killed a process group the previous owner left running", {{"pgid", std::to_string(group)}});
    }
    hub.trackProcessesIn(&owned->processes());
  }
  // With --build, a scheduler of this process builds; its settings are checked before anything is evaluated.
  std::optional<nix::NixInvocation> storeConfig;      // outlives the store query that borrows it
  std::unique_ptr<publish::PublishStage> publishing;  // outlives the scheduler that tells it of builds
  std::unique_ptr<scheduler::Scheduler> scheduler;
  std::unique_ptr<nix::StorePathInfo> store;
  auto buildLogger = logging.logger("scheduler");
  if (build) {
    auto settings = scheduler::SchedulerSettings::fromServerConfig(config);
    if (!settings) {
      err_ << "ekaci review: " << settings.error().describe() << "\n";
      return exitCode(config::ExitStatus::Usage);
    }
    settings->resumeOpenJobsets = false;  // a server may own the jobsets open in this database
    storeConfig = settings->nix;
    store = std::make_unique<nix::StorePathInfo>(hub.processes(), *storeConfig);
    scheduler = std::make_unique<scheduler::Scheduler>(
        scheduler::Scheduler::Services{**storage, hub.processes(), hub.clock(), hub.metrics(), *buildLogger},
        std::move(settings).value(), scheduler::SchedulerSettings::hostSystem(hub.processes()));
    auto stage = publish::PublishStage::create(config, prepared->plugins->registry(), hub, **storage, *buildLogger);
    if (!stage) {
      err_ << "ekaci review: " << stage.error().describe() << "\n";
      return exitCode(config::ExitStatus::Usage);
    }
    publishing = std::move(stage).value();
    scheduler->setListener(&publishing->publisher());
    buildOptions.publisher = &publishing->publisher();
    if (auto started = scheduler->start(); !started) {
      err_ << "ekaci review: " << started.error().describe() << "\n";
      return exitCode(config::ExitStatus::CouldNot);
    }
  }
  review::ReviewService service(review::ReviewService::Services{
      review::ReviewPipeline::servicesFor(config, **storage, prepared->plugins->registry(), hub), scheduler.get(),
      store.get(), hub.clock()});

  // Ctrl-C cancels the review cleanly (worker processes and builds are killed, checkouts removed).
  std::atomic<bool> cancel{false};
  request.cancel = &cancel;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished) {
      timespec wait{0, 200'000'000};
      siginfo_t info;
      if (sigtimedwait(&signals, &info, &wait) > 0) cancel = true;
    }
  });

  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  bool pendingLine = false;
  const auto started = std::chrono::steady_clock::now();
  auto progress = [&](const review::ReviewStep& step) {
    if (quiet) return;
    if (!terminal || step.total == 0) {
      if (pendingLine) err_ << "\n";
      pendingLine = false;
      err_ << step.line << "\n";
      return;
    }
    // On a terminal: one line, redrawn, with a bar of the steps done so far.
    constexpr std::size_t kWidth = 20;
    const std::size_t done = std::min(kWidth, kWidth * step.step / step.total);
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    std::string line = step.line.size() > 70 ? step.line.substr(0, 67) + "..." : step.line;
    err_ << "\r\033[K[" << std::string(done, '#') << std::string(kWidth - done, '.') << "] " << step.step << "/"
         << step.total << " " << seconds << "s " << line << std::flush;
    pendingLine = true;
  };
  review::ReviewService::Options options;
  options.build = build;
  options.builds = buildOptions;
  auto result = service.review(request, options, progress);
  finished = true;
  watcher.join();
  pthread_sigmask(SIG_UNBLOCK, &signals, nullptr);
  if (pendingLine) err_ << "\n";
  if (scheduler) scheduler->shutdown(std::chrono::seconds(0));
  // Hooks and pushes of what was built finish before the review ends.
  if (publishing && !cancel) {
    bool announced = false;
    while (!publishing->publisher().waitIdle(std::chrono::seconds(2))) {
      if (!quiet && !announced) err_ << "waiting for post-build hooks and cache pushes to finish\n";
      announced = true;
      if (cancel) break;
    }
  }
  if (publishing) publishing->publisher().stop();

  if (!result) {
    if (result.error().code() == sdk::ErrorCode::Cancelled || cancel) {
      err_ << "ekaci review: cancelled\n";
      return exitCode(config::ExitStatus::CouldNot);
    }
    err_ << "ekaci review: " << result.error().describe() << "\n";
    return exitCode(config::ErrorPolicy::exitFor(result.error().code()));
  }
  if (result->sizes) {
    for (const auto& warning : review::SizeFormat::warnings(*result->sizes)) err_ << "warning: " << warning << "\n";
  } else if (!result->sizesUnavailable.empty()) {
    err_ << "ekaci review: warning: sizes not measured: " << result->sizesUnavailable << "\n";
  }
  // One model, rendered once per medium: the Markdown within its budget, the JSON whole.
  if (!jsonFile.empty() && !writeFile(jsonFile, review::JsonRenderer::render(*result), out_, err_))
    return exitCode(config::ExitStatus::CouldNot);
  const auto markdown = review::MarkdownRenderer::render(*result, review::MarkdownRenderer::optionsFor(*result));
  if (!markdownFile.empty()) {
    if (!writeFile(markdownFile, markdown.markdown, out_, err_)) return exitCode(config::ExitStatus::CouldNot);
  } else if (jsonFile != "-") {
    out_ << markdown.markdown;
  }
  return exitCode(result->clean() && result->buildsClean() ? config::ExitStatus::Ok : config::ExitStatus::No);
}

}  // namespace ekaci::cli
