#include "kernel/services/ProcessLedger.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace ekaci::services {
namespace {

std::string bootId() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

// Field 22 of /proc/PID/stat: the start time in clock ticks after boot.
std::optional<unsigned long long> startTime(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  unsigned long long ticks = 0;
  if (!(fields >> ticks)) return std::nullopt;
  return ticks;
}

}  // namespace

ProcessLedger::ProcessLedger(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  ::chmod(dir_.c_str(), 0700);
}

void ProcessLedger::record(pid_t leader) const noexcept {
  try {
    const auto started = startTime(leader);
    if (!started) return;  // already gone
    const std::string line = bootId() + " " + std::to_string(*started) + "\n";
    const auto path = dir_ / std::to_string(leader);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return;
    (void)!::write(fd, line.data(), line.size());
    ::close(fd);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a ledger entry is a courtesy to the next start
  }
}

void ProcessLedger::forget(pid_t leader) const noexcept {
  std::error_code ec;
  std::filesystem::remove(dir_ / std::to_string(leader), ec);
}

std::vector<pid_t> ProcessLedger::reapOrphans() const {
  std::vector<pid_t> killed;
  const std::string boot = bootId();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    std::ifstream in(entry.path());
    std::string recordedBoot;
    unsigned long long recordedStart = 0;
    const bool parsed = static_cast<bool>(in >> recordedBoot >> recordedStart);
    in.close();
    std::filesystem::remove(entry.path(), ec);
    if (!parsed || recordedBoot != boot || name.empty() || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;  // not ours, or from an earlier boot: nothing of it runs
    }
    const auto leader = static_cast<pid_t>(std::stol(name));
    if (leader <= 1) continue;
    // The leader still runs (same start time) or is gone; while any member of its group
    // lives, the kernel does not hand its number to a new process, so the group is ours.
    // A leader number with another start time is a new process: leave it alone.
    if (const auto now = startTime(leader); now && *now != recordedStart) continue;
    if (::kill(-leader, SIGKILL) == 0) killed.push_back(leader);
  }
  return killed;
}

}  // namespace ekaci::services
