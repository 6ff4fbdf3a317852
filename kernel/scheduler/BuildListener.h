#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace ekaci::scheduler {

// A derivation this server just built successfully (not one found valid or substitutable).
struct BuiltDerivation {
  std::int64_t drvId = 0;
  std::string drvPath;
  std::vector<std::string> outputs;  // store paths
  std::string system;
  bool fixedOutput = false;
  std::vector<std::int64_t> jobsets;  // open jobsets that wanted it
  std::filesystem::path logPath;      // its build log (compressed once the build ended)
};

// Told about every successful build, on the scheduler's dispatcher thread and under its lock:
// an implementation only takes note (queues work) and never calls back into the scheduler.
class BuildListener {
 public:
  virtual ~BuildListener() = default;
  virtual void built(const BuiltDerivation& derivation) noexcept = 0;
};

}  // namespace ekaci::scheduler
