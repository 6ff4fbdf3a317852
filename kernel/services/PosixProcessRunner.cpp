#include "kernel/services/PosixProcessRunner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

extern char** environ;

namespace ekaci::services {
namespace {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

bool makePipe(Fd& readEnd, Fd& writeEnd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  readEnd.reset(fds[0]);
  writeEnd.reset(fds[1]);
  return true;
}

std::vector<std::string> buildEnvironment(const sdk::ProcessSpec& spec) {
  std::map<std::string, std::string> vars;
  if (spec.inheritEnvironment) {
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
      std::string entry(*e);
      auto eq = entry.find('=');
      if (eq != std::string::npos) vars[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : spec.environment) vars[k] = v;
  std::vector<std::string> out;
  out.reserve(vars.size());
  for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
  return out;
}

// Splits a stream into lines as data arrives.
struct LineBuffer {
  std::string pending;
  void feed(const char* data, std::size_t n, const std::function<void(std::string_view)>& emit) {
    pending.append(data, n);
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
      emit(std::string_view(pending).substr(start, nl - start));
    }
    pending.erase(0, start);
  }
  void finish(const std::function<void(std::string_view)>& emit) {
    if (!pending.empty()) emit(pending);
    pending.clear();
  }
};

// Resident set size of one process in bytes (0 when it cannot be read).
std::size_t ownResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return static_cast<std::size_t>(std::stoull(line.substr(6))) * 1024;
  }
  return 0;
}

// Resident set size of a process and its descendants (nix-eval-jobs' workers, a fetcher's
// git), from /proc/PID/task/*/children; at most 256 processes are counted.
std::size_t residentBytes(pid_t root) {
  std::size_t total = 0;
  std::vector<pid_t> pending = {root};
  for (std::size_t seen = 0; !pending.empty() && seen < 256; ++seen) {
    const pid_t pid = pending.back();
    pending.pop_back();
    total += ownResidentBytes(pid);
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
      std::ifstream children(task.path() / "children");
      for (long child; children >> child;) pending.push_back(static_cast<pid_t>(child));
    }
  }
  return total;
}

}  // namespace

sdk::Result<sdk::ProcessResult> PosixProcessRunner::run(const sdk::ProcessSpec& spec,
                                                        const sdk::ProcessLineCallback& onLine) {
  using Clock = std::chrono::steady_clock;
  if (spec.argv.empty()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "cannot run an empty command");
  if (spec.cancel != nullptr && spec.cancel->load()) {
    sdk::ProcessResult cancelled;
    cancelled.end = sdk::ProcessEnd::Cancelled;
    return cancelled;
  }

  Fd outRead, outWrite, errRead, errWrite, inRead, inWrite;
  if (!makePipe(outRead, outWrite) || !makePipe(errRead, errWrite) || !makePipe(inRead, inWrite)) {
    return sdk::Error(sdk::ErrorCode::ProcessSpawn, std::string("pipe: ") + std::strerror(errno));
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, inRead.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, outWrite.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, errWrite.get(), STDERR_FILENO);
  // Nothing else of the server reaches a child: not its listening sockets (a child that
  // outlives a crashed server would hold them), not its database, not a client's connection.
  posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
  if (!spec.workingDirectory.empty()) posix_spawn_file_actions_addchdir_np(&actions, spec.workingDirectory.c_str());

  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaultSignals;
  sigfillset(&defaultSignals);
  sigset_t noSignals;
  sigemptyset(&noSignals);
  posix_spawnattr_setsigdefault(&attributes, &defaultSignals);
  posix_spawnattr_setsigmask(&attributes, &noSignals);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<char*> argv;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> envStrings = buildEnvironment(spec);
  std::vector<char*> envp;
  for (auto& e : envStrings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const auto started = Clock::now();
  int rc = ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    return sdk::Error(sdk::ErrorCode::ProcessSpawn, "cannot start " + spec.argv[0] + ": " + std::strerror(rc));
  }
  const ProcessLedger* ledger = ledger_.load();
  if (ledger != nullptr) ledger->record(pid);
  outWrite.reset();
  errWrite.reset();
  inRead.reset();

  sdk::ProcessResult result;
  std::size_t stdinOffset = 0;
  std::string input = spec.standardInput;
  if (input.empty() && !spec.moreInput) inWrite.reset();
  if (inWrite.get() >= 0) ::fcntl(inWrite.get(), F_SETFL, O_NONBLOCK);

  LineBuffer buffers[2];
  auto emitter = [&](sdk::OutputStream stream) {
    return [&, stream](std::string_view line) {
      if (onLine) onLine(stream, line);
      if (spec.captureOutput) {
        std::string& text = stream == sdk::OutputStream::Stdout ? result.stdoutText : result.stderrText;
        text.append(line).push_back('\n');
      }
    };
  };
  const std::function<void(std::string_view)> emitOut = emitter(sdk::OutputStream::Stdout);
  const std::function<void(std::string_view)> emitErr = emitter(sdk::OutputStream::Stderr);

  auto lastOutput = started;
  auto lastMemoryCheck = started - std::chrono::seconds(1);
  bool killing = false;
  Clock::time_point killDeadline{};
  sdk::ProcessEnd reason = sdk::ProcessEnd::Exited;
  auto startKill = [&](sdk::ProcessEnd why) {
    if (killing) return;
    killing = true;
    reason = why;
    ::kill(-pid, SIGTERM);
    killDeadline = Clock::now() + killGrace_;
  };

  while (outRead.get() >= 0 || errRead.get() >= 0) {
    std::array<pollfd, 3> fds{};
    nfds_t n = 0;
    int outIndex = -1, errIndex = -1, inIndex = -1;
    if (outRead.get() >= 0) {
      outIndex = static_cast<int>(n);
      fds[n++] = pollfd{outRead.get(), POLLIN, 0};
    }
    if (errRead.get() >= 0) {
      errIndex = static_cast<int>(n);
      fds[n++] = pollfd{errRead.get(), POLLIN, 0};
    }
    if (inWrite.get() >= 0 && stdinOffset >= input.size() && spec.moreInput) {
      auto more = spec.moreInput();
      if (!more) {
        inWrite.reset();
      } else {
        input = std::move(*more);
        stdinOffset = 0;
      }
    }
    if (inWrite.get() >= 0 && stdinOffset < input.size()) {
      inIndex = static_cast<int>(n);
      fds[n++] = pollfd{inWrite.get(), POLLOUT, 0};
    }
    int ready = ::poll(fds.data(), n, 50);
    if (ready < 0 && errno != EINTR) break;

    auto drain = [&](Fd& fd, int index, LineBuffer& buffer, const std::function<void(std::string_view)>& emit) {
      if (index < 0 || (fds[static_cast<std::size_t>(index)].revents & (POLLIN | POLLHUP | POLLERR)) == 0) return;
      char chunk[8192];
      ssize_t got = ::read(fd.get(), chunk, sizeof chunk);
      if (got > 0) {
        buffer.feed(chunk, static_cast<std::size_t>(got), emit);
        lastOutput = Clock::now();
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        buffer.finish(emit);
        fd.reset();
      }
    };
    drain(outRead, outIndex, buffers[0], emitOut);
    drain(errRead, errIndex, buffers[1], emitErr);
    if (inIndex >= 0 && (fds[static_cast<std::size_t>(inIndex)].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      ssize_t wrote = ::write(inWrite.get(), input.data() + stdinOffset, input.size() - stdinOffset);
      if (wrote > 0) stdinOffset += static_cast<std::size_t>(wrote);
      if (wrote < 0 && errno != EAGAIN && errno != EINTR) inWrite.reset();
      if (stdinOffset >= input.size() && !spec.moreInput) inWrite.reset();
    }

    const auto now = Clock::now();
    if (spec.cancel != nullptr && spec.cancel->load()) startKill(sdk::ProcessEnd::Cancelled);
    if (spec.timeout.count() > 0 && now - started > spec.timeout) startKill(sdk::ProcessEnd::TimedOut);
    if (spec.noOutputTimeout.count() > 0 && now - lastOutput > spec.noOutputTimeout) {
      startKill(sdk::ProcessEnd::NoOutputTimedOut);
    }
    // Memory is read at most every 50 ms: a child that prints a lot must not make us read
    // /proc for every chunk of its output.
    if (spec.maxResidentBytes > 0 && !killing && now - lastMemoryCheck >= std::chrono::milliseconds(50)) {
      lastMemoryCheck = now;
      if (residentBytes(pid) > spec.maxResidentBytes) {
        startKill(sdk::ProcessEnd::MemoryExceeded);
        killDeadline = now;  // no grace: memory is the problem
      }
    }
    if (killing && now > killDeadline) {
      ::kill(-pid, SIGKILL);
      // A grandchild may hold the pipes open forever; stop reading once the group is killed.
      buffers[0].finish(emitOut);
      buffers[1].finish(emitErr);
      outRead.reset();
      errRead.reset();
    }
  }
  inWrite.reset();

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (killing) ::kill(-pid, SIGKILL);  // leave no member of the group behind
  if (ledger != nullptr) ledger->forget(pid);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  if (killing) {
    result.end = reason;
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    if (WIFEXITED(status)) result.exitCode = WEXITSTATUS(status);
  } else if (WIFEXITED(status)) {
    result.end = sdk::ProcessEnd::Exited;
    result.exitCode = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.end = sdk::ProcessEnd::Signaled;
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace ekaci::services
