#include "ekaci/sdk/testing/FakeProcessRunner.h"

#include <algorithm>

namespace ekaci::sdk::testing {

void FakeProcessRunner::script(Scripted answer) {
  std::lock_guard lock(mutex_);
  script_.push_back(std::move(answer));
}

void FakeProcessRunner::scriptSpawnFailure(std::string program) {
  std::lock_guard lock(mutex_);
  unspawnable_.push_back(std::move(program));
}

Result<ProcessResult> FakeProcessRunner::run(const ProcessSpec& spec, const ProcessLineCallback& onLine) {
  Scripted answer;
  {
    std::lock_guard lock(mutex_);
    calls_.push_back(spec);
    if (spec.argv.empty()) return Error(ErrorCode::InvalidArgument, "empty argv");
    const std::string& program = spec.argv.front();
    if (std::find(unspawnable_.begin(), unspawnable_.end(), program) != unspawnable_.end()) {
      return Error(ErrorCode::ProcessSpawn, "cannot start " + program + ": scripted failure");
    }
    auto it = std::find_if(script_.begin(), script_.end(), [&](const Scripted& s) { return s.program == program; });
    if (it == script_.end()) return Error(ErrorCode::ProcessSpawn, "cannot start " + program + ": not scripted");
    answer = *it;
  }
  ProcessResult result = answer.result;
  for (const auto& [stream, line] : answer.lines) {
    if (onLine) onLine(stream, line);
    if (spec.captureOutput) (stream == OutputStream::Stdout ? result.stdoutText : result.stderrText) += line + "\n";
  }
  return result;
}

std::vector<ProcessSpec> FakeProcessRunner::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

}  // namespace ekaci::sdk::testing
