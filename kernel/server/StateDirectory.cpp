#include "kernel/server/StateDirectory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace ekaci::server {

void StateDirectory::privateFiles() {
  ::umask(077);
}

sdk::Result<void> StateDirectory::preparePrivate(const std::vector<std::filesystem::path>& dirs) {
  for (const auto& dir : dirs) {
    if (dir.empty()) continue;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return sdk::Error(sdk::ErrorCode::IoError, "cannot create " + dir.string() + ": " + ec.message());
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && (st.st_mode & 077) != 0 && ::chmod(dir.c_str(), 0700) != 0) {
      return sdk::Error(sdk::ErrorCode::IoError,
                        "cannot make " + dir.string() + " private (chmod 0700): " + std::strerror(errno));
    }
  }
  return sdk::success();
}

sdk::Result<std::unique_ptr<StateDirectory>> StateDirectory::open(const std::filesystem::path& stateDir,
                                                                  const std::vector<std::filesystem::path>& otherDirs,
                                                                  const std::string& owner) {
  std::vector<std::filesystem::path> dirs = {stateDir};
  dirs.insert(dirs.end(), otherDirs.begin(), otherDirs.end());
  if (auto prepared = preparePrivate(dirs); !prepared) return prepared.error();
  const auto lockPath = stateDir / "owner.lock";
  const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return sdk::Error(sdk::ErrorCode::IoError, "cannot open " + lockPath.string() + ": " + std::strerror(errno));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char holder[256] = {};
    const ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    std::string who = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "another process";
    while (!who.empty() && (who.back() == '\n' || who.back() == '\0')) who.pop_back();
    return sdk::Error(
        sdk::ErrorCode::StateDirectoryBusy,
        "the state directory " + stateDir.string() + " is in use by " + who + "; stop it or use another state_dir");
  }
  const std::string me = owner + " (pid " + std::to_string(::getpid()) + ")\n";
  // The lock holds without the description; only the message a second process prints suffers.
  const bool described =
      ::ftruncate(fd, 0) == 0 && ::pwrite(fd, me.data(), me.size(), 0) == static_cast<ssize_t>(me.size());
  (void)described;
  return std::unique_ptr<StateDirectory>(new StateDirectory(fd, stateDir));
}

StateDirectory::~StateDirectory() {
  if (lockFd_ >= 0) ::close(lockFd_);
}

}  // namespace ekaci::server
