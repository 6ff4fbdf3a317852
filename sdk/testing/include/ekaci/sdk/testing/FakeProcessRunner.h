#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "ekaci/sdk/ProcessRunner.h"

namespace ekaci::sdk::testing {

// A ProcessRunner that runs nothing: answers are scripted per program (argv[0]) and every
// spec is recorded. Scripted output lines are delivered to the callback as a real run would.
class FakeProcessRunner : public ProcessRunner {
 public:
  struct Scripted {
    std::string program;
    ProcessResult result;
    std::vector<std::pair<OutputStream, std::string>> lines;
  };

  void script(Scripted answer);
  // A program that cannot be started.
  void scriptSpawnFailure(std::string program);

  using ProcessRunner::run;
  Result<ProcessResult> run(const ProcessSpec& spec, const ProcessLineCallback& onLine) override;

  std::vector<ProcessSpec> calls() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Scripted> script_;
  std::vector<std::string> unspawnable_;
  std::vector<ProcessSpec> calls_;
};

}  // namespace ekaci::sdk::testing
