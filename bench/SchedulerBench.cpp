// Builds generated derivation graphs three ways and prints the numbers docs/PERFORMANCE.md
// quotes:
//   1. raw `nix-build` of a DAG of N trivial derivations with --max-jobs J;
//   2. the same shape (fresh derivations) through the scheduler with max_jobs J: the ratio
//      of the two is what the scheduler costs on top of Nix;
//   3. the scheduler with builds stubbed at the process-runner level (no Nix build runs):
//      state machine, routing, SQLite events and logs per derivation.
// Usage: SchedulerBench [derivations=500] [jobs=2] [batch=8]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "kernel/scheduler/Scheduler.h"
#include "kernel/scheduler/SchedulerSettings.h"
#include "kernel/services/Logging.h"
#include "kernel/services/PosixProcessRunner.h"
#include "kernel/services/PrometheusMetrics.h"
#include "kernel/services/SystemClock.h"
#include "kernel/storage/SqliteStorage.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace ekaci;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A DAG of `count` trivial derivations in layers of 25, each depending on two of the
// previous layer, plus `all` depending on the last layer. Returns the path of the file.
std::string writeDag(const std::filesystem::path& dir, const std::string& nonce, int count) {
  std::ostringstream nix;
  nix << "let mk = i: deps: derivation { name = \"bench-${toString i}-" << nonce
      << "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; inherit deps;"
      << " args = [ \"-c\" \"echo ${toString i} > $out\" ]; };\nin rec {\n";
  const int width = 25;
  for (int i = 0; i < count; ++i) {
    nix << "  d" << i << " = mk " << i << " [";
    if (i >= width) nix << " d" << (i - width) << " d" << (i - width + (i % width == 0 ? 1 : -1));
    nix << " ];\n";
  }
  nix << "  all = derivation { name = \"bench-all-" << nonce
      << "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; args = [ \"-c\" \"echo > $out\" ]; deps = [";
  for (int i = 0; i < count; ++i) nix << " d" << i;
  nix << " ]; };\n}\n";
  const auto file = dir / ("dag-" + nonce + ".nix");
  std::ofstream(file) << nix.str();
  return file.string();
}

std::string run(const std::vector<std::string>& argv) {
  services::PosixProcessRunner runner;
  sdk::ProcessSpec spec;
  spec.argv = argv;
  spec.inheritEnvironment = true;
  auto result = runner.run(spec);
  if (!result || !result->succeeded()) {
    std::fprintf(stderr, "command failed: %s\n%s\n", argv[0].c_str(), result ? result->stderrText.c_str() : "");
    std::exit(1);
  }
  std::string out = result->stdoutText;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Answers `nix-store --realise DRV ...` (not --dry-run) with an immediate success.
class StubBuilds : public sdk::ProcessRunner {
 public:
  explicit StubBuilds(sdk::ProcessRunner& real) : real_(real) {}
  using sdk::ProcessRunner::run;
  sdk::Result<sdk::ProcessResult> run(const sdk::ProcessSpec& spec, const sdk::ProcessLineCallback& onLine) override {
    const bool build = spec.argv.size() > 2 && spec.argv[1] == "--realise" && spec.argv[2] != "--dry-run";
    if (!build) return real_.run(spec, onLine);
    if (onLine) onLine(sdk::OutputStream::Stderr, "building '" + spec.argv[2] + "'...");
    sdk::ProcessResult result;
    result.exitCode = 0;
    return result;
  }

 private:
  sdk::ProcessRunner& real_;
};

struct SchedulerRun {
  double seconds = 0;
  std::size_t derivations = 0;
  bool succeeded = false;
};

SchedulerRun throughScheduler(const std::filesystem::path& dir, const std::string& root, std::size_t jobs,
                              std::size_t batch, sdk::ProcessRunner& runner, const std::string& label) {
  auto storage = std::move(storage::SqliteStorage::open(dir / (label + ".sqlite"))).value();
  services::Logging logging(services::LogFilter::parse("error").value());
  auto logger = logging.logger("bench");
  services::PrometheusMetrics metrics(*logger);
  services::SystemClock clock;
  scheduler::SchedulerConfig config;
  config.logsDir = dir / (label + "-logs");
  config.localMaxJobs = jobs;
  config.batchSize = batch;
  config.nix.options = {{"substituters", ""}};
  const auto repo = storage->upsertRepository({0, "local", "bench", label, "", "main"}).value();
  const auto commit = storage->upsertCommit(repo, label).value();
  storage::JobsetRecord jobset;
  jobset.repositoryId = repo;
  jobset.commitId = commit;
  jobset.jobName = label;
  const auto id = storage->createJobset(jobset).value();
  scheduler::Scheduler scheduler({*storage, runner, clock, metrics, *logger}, config,
                                 scheduler::SchedulerSettings::hostSystem(runner));
  if (!scheduler.start()) std::exit(1);
  const auto started = Clock::now();
  scheduler::JobsetBuildRequest request;
  request.jobsetId = id;
  request.roots = {{0, root, true}};
  if (auto ok = scheduler.submit(request); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().describe().c_str());
    std::exit(1);
  }
  SchedulerRun out;
  out.derivations = scheduler.jobset(id) ? scheduler.jobset(id)->derivations : 0;
  scheduler.waitForJobset(id, std::chrono::hours(1));
  out.seconds = secondsSince(started);
  out.succeeded = storage->findBuildJobset(id).value().value().state == storage::BuildJobsetState::Succeeded;
  scheduler.shutdown(std::chrono::seconds(0));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 500;
  const std::size_t jobs = argc > 2 ? static_cast<std::size_t>(std::atoi(argv[2])) : 2;
  const std::size_t batch = argc > 3 ? static_cast<std::size_t>(std::atoi(argv[3])) : 8;
  const auto dir = std::filesystem::temp_directory_path() / ("ekaci-scheduler-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::random_device random;
  const std::string base = std::to_string(random());
  services::PosixProcessRunner real;

  // 1. Raw nix-build.
  const auto rawFile = writeDag(dir, base + "-raw", count);
  auto started = Clock::now();
  run({"nix-build", rawFile, "-A", "all", "--no-out-link", "--max-jobs", std::to_string(jobs), "--option",
       "substituters", ""});
  const double raw = secondsSince(started);

  // 2. The same shape through the scheduler (instantiation is not timed, as in 1 it is).
  const auto schedFile = writeDag(dir, base + "-scheduler", count);
  started = Clock::now();
  const std::string schedRoot = run({"nix-instantiate", schedFile, "-A", "all"});
  const double instantiate = secondsSince(started);
  const auto real2 = throughScheduler(dir, schedRoot, jobs, batch, real, "real");

  // 3. Stubbed builds: the scheduler's own cost per derivation.
  const auto stubFile = writeDag(dir, base + "-stub", count);
  const std::string stubRoot = run({"nix-instantiate", stubFile, "-A", "all"});
  StubBuilds stub(real);
  const auto stubbed = throughScheduler(dir, stubRoot, jobs, batch, stub, "stub");

  std::printf("derivations: %d (+1 root), max jobs: %zu, batch size: %zu\n", count, jobs, batch);
  std::printf("raw nix-build (instantiate + build):   %.2f s\n", raw);
  std::printf("scheduler (instantiate %.2f s + build %.2f s): %.2f s, %s\n", instantiate, real2.seconds,
              instantiate + real2.seconds, real2.succeeded ? "succeeded" : "FAILED");
  std::printf("ratio scheduler / raw nix-build:       %.2f\n", (instantiate + real2.seconds) / raw);
  std::printf("scheduler, builds stubbed:             %.3f s for %zu derivations = %.2f ms per derivation\n",
              stubbed.seconds, stubbed.derivations,
              1000.0 * stubbed.seconds / static_cast<double>(stubbed.derivations));
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return real2.succeeded && stubbed.succeeded ? 0 : 1;
}
