#pragma once

#include <sys/types.h>

#include <filesystem>
#include <vector>

namespace ekaci::services {

// The process groups a state directory's owner has running, one file per group in a
// directory (<state>/processes/<pgid>, holding the boot id and the leader's start time).
// A crashed owner leaves its files behind; the next owner calls reapOrphans() once it holds
// the state directory's lock, and every group still running (a nix-store that outlived a
// `kill -9` and would keep building into the store) is killed before anything new starts.
// The boot id and start time make sure a reused process id is never mistaken for an orphan.
//
// Threading: record() and forget() may be called from any thread; reapOrphans() before any.
class ProcessLedger {
 public:
  // Creates the directory (mode 0700) if it is missing.
  explicit ProcessLedger(std::filesystem::path dir);

  // The group led by `leader` (its pgid) started / ended. Failures to write are ignored: the
  // ledger only ever makes a restart cleaner.
  void record(pid_t leader) const noexcept;
  void forget(pid_t leader) const noexcept;

  // Kills (SIGKILL) every recorded group that still runs and clears the ledger. Returns the
  // groups it killed.
  std::vector<pid_t> reapOrphans() const;

  const std::filesystem::path& directory() const noexcept { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace ekaci::services
