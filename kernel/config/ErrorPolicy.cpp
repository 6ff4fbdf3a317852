#include "kernel/config/ErrorPolicy.h"

namespace ekaci::config {

const std::vector<ErrorPolicy::Group>& ErrorPolicy::groups() {
  static const std::vector<Group> kGroups = {
      {1000, 1999, "general", "an unusable state directory or another process owning it (E1009) stops start-up",
       "fails the one operation; E1000 is a bug and is logged as one", ExitStatus::CouldNot},
      {2000, 2999, "configuration",
       "stops start-up with every diagnostic (file:line, key, code) at once; `--check-config` prints them",
       "a repository's own configuration (.ekaci/config.json) that is wrong fails only that review, with the "
       "diagnostics in its report",
       ExitStatus::Usage},
      {3000, 3999, "plugins",
       "a plugin that does not load, register, create or start stops start-up (optional_plugin_paths: logged and "
       "skipped)",
       "a plugin call that throws is E3009: logged, counted in eka_ci_plugin_call_failures_total, that call fails",
       ExitStatus::CouldNot},
      {4000, 4999, "storage", "a database that does not open or migrate stops start-up",
       "the operation fails and nothing half-written stays (one transaction each)", ExitStatus::CouldNot},
      {5000, 5999, "credentials and secrets", "nothing is fetched at start-up (the sources are only created then)",
       "fetched when needed: the operation needing it fails and is retried with it (a push, a report)",
       ExitStatus::CouldNot},
      {6000, 6999, "network and HTTP", "-",
       "outgoing calls fail the one operation; the forge outbox and cache pushes retry with backoff",
       ExitStatus::CouldNot},
      {7000, 7999, "processes", "-",
       "the one build or evaluation fails; a crashed evaluator worker is restarted and its attribute isolated",
       ExitStatus::CouldNot},
      {8000, 8999, "forges and webhooks", "-",
       "a delivery that fails verification is refused (401) and counted; forge API failures are retried by the "
       "outbox, honouring Retry-After",
       ExitStatus::CouldNot},
      {9000, 9999, "client protocol", "-", "the one CLI request fails; the server keeps running", ExitStatus::CouldNot},
      {10000, 10999, "builds", "-",
       "a failed build is recorded: a transient failure is retried, a permanent one remembered for "
       "builders.failure_cache_seconds; remote builders that stop answering are taken out and checked again",
       ExitStatus::CouldNot},
      {11000, 11999, "binary caches and post-build hooks",
       "a cache destination on a private address stops start-up unless allowed",
       "a push or hook never fails the build: pushes are retried with backoff, each outcome is a row and a metric",
       ExitStatus::CouldNot},
  };
  return kGroups;
}

const ErrorPolicy::Group* ErrorPolicy::groupOf(sdk::ErrorCode code) {
  const int n = static_cast<int>(code);
  for (const auto& group : groups()) {
    if (n >= group.first && n <= group.last) return &group;
  }
  return nullptr;
}

ExitStatus ErrorPolicy::exitFor(sdk::ErrorCode code) {
  if (code == sdk::ErrorCode::Ok) return ExitStatus::Ok;
  if (code == sdk::ErrorCode::InvalidArgument) return ExitStatus::Usage;
  const Group* group = groupOf(code);
  return group != nullptr ? group->exit : ExitStatus::CouldNot;
}

std::string ErrorPolicy::markdown() {
  std::string out =
      "## What happens to an error\n\n"
      "Codes are grouped by where they arise. At start-up the server stops on anything that would make it "
      "serve less than its configuration says; while running, a failure is confined to the one review, build, "
      "push or request it concerns — logged with its code, counted, and retried where the table says so.\n\n"
      "| codes | group | at start-up | while running | exit status |\n|---|---|---|---|---|\n";
  for (const auto& group : groups()) {
    out += "| E" + std::to_string(group.first) + "–E" + std::to_string(group.last) + " | " + group.name + " | " +
           group.atStartUp + " | " + group.whileRunning + " | " + std::to_string(exitCode(group.exit)) + " |\n";
  }
  out +=
      "\n## Exit statuses\n\n"
      "The same for `eka-ci-server` and every `ekaci` command; a command that ends with an error returns the status "
      "of its group (E1001 invalid_argument: 2).\n\n"
      "| status | meaning |\n|---|---|\n"
      "| 0 | done; a review found nothing that newly breaks |\n"
      "| 1 | done, and the answer is no: the change breaks evaluation or a build, or the server refused the request |\n"
      "| 2 | the command line or the configuration is wrong; fix it and run again |\n"
      "| 3 | it could not be carried out: storage, the network, a process, cancelled |\n\n";
  return out;
}

}  // namespace ekaci::config
