#include "tests/support/SchedulerHarness.h"

#include <random>
#include <stdexcept>

namespace ekaci::testsupport {

SchedulerHarness::SchedulerHarness() {
  auto opened = storage::SqliteStorage::open(dir.path() / "db.sqlite");
  if (!opened) throw std::runtime_error(opened.error().describe());
  storage = std::move(opened).value();
  config.logsDir = dir.path() / "logs";
  config.nix.options = {{"substituters", ""}};
  std::random_device random;
  tag = std::to_string(random()) + "-" + std::to_string(random());
}

std::int64_t SchedulerHarness::newJobset(const std::string& sha) {
  auto repository = storage->upsertRepository({0, "local", "tests", "harness", "", "main"});
  if (!repository) throw std::runtime_error(repository.error().describe());
  auto commit = storage->upsertCommit(*repository, sha);
  if (!commit) throw std::runtime_error(commit.error().describe());
  auto id = storage->createJobset({0, *repository, *commit, "packages", "{}", storage::EvalState::Succeeded, "", 0, 0});
  if (!id) throw std::runtime_error(id.error().describe());
  return *id;
}

std::optional<std::string> SchedulerHarness::firstLineOf(const std::vector<std::string>& argv, std::string* error) {
  sdk::ProcessSpec spec;
  spec.argv = argv;
  spec.inheritEnvironment = true;
  auto result = processes.run(spec);
  if (!result || !result->succeeded()) {
    if (error != nullptr) *error = result ? result->stderrText : result.error().describe();
    return std::nullopt;
  }
  return result->stdoutText.substr(0, result->stdoutText.find('\n'));
}

std::filesystem::path SchedulerHarness::nixSet(const std::string& name, const std::string& bindings) const {
  return dir.write(name,
                   "let mk = name: deps: script: derivation { name = name + \"-" + tag +
                       "\"; system = builtins.currentSystem; builder = \"/bin/sh\"; inherit deps;"
                       " args = [ \"-c\" script ]; };\nin rec {\n" +
                       bindings + "}\n",
                   0644);
}

}  // namespace ekaci::testsupport
