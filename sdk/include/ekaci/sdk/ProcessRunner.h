#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::sdk {

struct ProcessSpec {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'
  // Environment of the child. With inheritEnvironment, these entries are added to (and
  // override) the server's environment; otherwise they are the whole environment.
  std::vector<std::pair<std::string, std::string>> environment;
  bool inheritEnvironment = false;
  std::string workingDirectory;  // empty: the server's current directory
  std::string standardInput;     // written to the child's stdin, which is then closed (unless moreInput)
  // For a conversation with the child: called on run()'s thread whenever what was given so far
  // has been written (and again at least every 50 ms while it answers ""). Returns more text
  // to write, "" for nothing yet, or nullopt to close the child's stdin.
  std::function<std::optional<std::string>()> moreInput;
  std::chrono::milliseconds timeout{0};          // whole run; 0 = none
  std::chrono::milliseconds noOutputTimeout{0};  // silence on stdout and stderr; 0 = none
  const std::atomic<bool>* cancel = nullptr;     // polled; true kills the process group
  std::size_t maxResidentBytes = 0;              // resident memory of the child and its descendants; 0 = no limit
  bool captureOutput = true;  // keep stdout/stderr in ProcessResult (besides the callback)
};

enum class OutputStream { Stdout, Stderr };

enum class ProcessEnd { Exited, Signaled, TimedOut, NoOutputTimedOut, Cancelled, MemoryExceeded };

struct ProcessResult {
  ProcessEnd end = ProcessEnd::Exited;
  int exitCode = -1;  // Exited: the exit status
  int signal = 0;     // Signaled: the signal
  std::string stdoutText;
  std::string stderrText;
  std::chrono::milliseconds elapsed{0};

  bool succeeded() const noexcept { return end == ProcessEnd::Exited && exitCode == 0; }
};

// Called once per complete line (without the newline), and once for a last unterminated
// line. Borrowed for the duration of run(); called on the thread that called run().
using ProcessLineCallback = std::function<void(OutputStream stream, std::string_view line)>;

// Runs child processes. Each child gets its own process group; on timeout, silence or
// cancellation the whole group is killed (SIGTERM, then SIGKILL), so grandchildren do not
// outlive the run. A child whose resident memory (with its descendants) exceeds maxResidentBytes is killed at once
// (SIGKILL) and the run ends with MemoryExceeded.
//
// Threading: run() may be called from many threads at once; each call blocks its thread.
// Errors: failing to start (no such program, fork failure) is an error (ProcessSpawn);
// a non-zero exit, a signal or a timeout is a successful Result describing the end.
class EKACI_SDK_API ProcessRunner {
 public:
  virtual ~ProcessRunner();
  virtual Result<ProcessResult> run(const ProcessSpec& spec, const ProcessLineCallback& onLine) = 0;
  Result<ProcessResult> run(const ProcessSpec& spec) { return run(spec, ProcessLineCallback{}); }
};

}  // namespace ekaci::sdk
