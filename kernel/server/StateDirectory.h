#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/services/ProcessLedger.h"

namespace ekaci::server {

// The state directory, owned by one process at a time: the server, or an `ekaci review
// --build` (two builders on one database would build everything twice and interleave their
// state transitions). open() creates the directories eka-ci writes (state, logs, the
// database's), makes them private (0700; a looser existing one is tightened) and takes an
// exclusive lock on <state>/owner.lock, which the kernel releases when the process ends,
// however it ends. Files created afterwards are private because eka-ci's programs run with
// umask 077 (see privateFiles()). The owner's child processes are recorded in the
// directory's process ledger (<state>/processes), so that the next owner can kill what a crash
// of this one left running (processes().reapOrphans(), right after open()).
class StateDirectory {
 public:
  // `owner` describes the process in the lock file ("eka-ci-server", "ekaci review --build").
  static sdk::Result<std::unique_ptr<StateDirectory>> open(const std::filesystem::path& stateDir,
                                                           const std::vector<std::filesystem::path>& otherDirs,
                                                           const std::string& owner);
  // Creates the directories and makes them private without taking the lock.
  static sdk::Result<void> preparePrivate(const std::vector<std::filesystem::path>& dirs);
  // Sets the process's umask to 077: databases, logs and checkouts are never readable by others.
  static void privateFiles();

  StateDirectory(const StateDirectory&) = delete;
  StateDirectory& operator=(const StateDirectory&) = delete;
  ~StateDirectory();

  const services::ProcessLedger& processes() const noexcept { return processes_; }

 private:
  StateDirectory(int lockFd, const std::filesystem::path& stateDir)
      : lockFd_(lockFd), processes_(stateDir / "processes") {}
  int lockFd_;
  services::ProcessLedger processes_;
};

}  // namespace ekaci::server
