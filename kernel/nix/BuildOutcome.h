#pragma once

#include <chrono>
#include <string>

namespace ekaci::nix {

// Why a build stopped without a verdict on the derivation itself.
enum class InterruptKind { OutOfMemory, Timeout, Cancelled, ProcessDeath, Unsatisfiable };

// The persisted name: "out_of_memory", "timeout", ...
const char* toString(InterruptKind kind);

// How one attempt ended, as the executor saw it.
struct BuildOutcome {
  enum class Kind { Success, Failure, Interrupted };
  Kind kind = Kind::Failure;
  InterruptKind interrupt = InterruptKind::ProcessDeath;  // Interrupted only
  int exitCode = -1;
  std::string detail;  // one line for people: "exit code 100", "no output for 1200 s"
  std::chrono::milliseconds elapsed{0};
};

}  // namespace ekaci::nix
