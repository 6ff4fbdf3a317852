#pragma once

#include <cstdint>
#include <string>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Result.h"
#include "kernel/scheduler/BuildGraph.h"
#include "kernel/storage/Storage.h"

namespace ekaci::scheduler {

// The only writer of build events and of jobsets' build rows. Every state change is written
// before the in-memory node takes it, so a restart resumes exactly where the database says;
// a change the state machine forbids is refused and logged, never persisted. The database
// refuses such a change too, whichever process writes it (the transition guard installed
// here).
class BuildRecorder {
 public:
  BuildRecorder(storage::Storage& storage, sdk::Clock& clock, sdk::Logger& logger);

  // Moves `node` to `to`, persisted first; false (and the node unchanged) when refused or
  // when the event cannot be written.
  bool transition(BuildGraph::Node& node, BuildStatus to, const std::string& detail, bool newAttempt = false);
  // The first event of a derivation the database has never seen in a build: Queued.
  void firstQueued(BuildGraph::Node& node, const std::string& detail);
  // The end of a derivation no open jobset wants after a restart (no node for it).
  void settleOrphan(const storage::DrvBuildStatus& row, const std::string& state, const std::string& detail);
  // A permanent failure is answered from the cache until `expiresAt` (0: forgotten).
  bool cacheFailure(const BuildGraph::Node& node, std::int64_t expiresAt);

  sdk::Result<void> submitJobset(const storage::BuildJobsetRecord& record) {
    return storage_.submitBuildJobset(record);
  }
  sdk::Result<void> concludeJobset(std::int64_t jobsetId, storage::BuildJobsetState state) {
    return storage_.concludeBuildJobset(jobsetId, state, now());
  }

  std::int64_t now() const;

 private:
  storage::Storage& storage_;
  sdk::Clock& clock_;
  sdk::Logger& logger_;
};

}  // namespace ekaci::scheduler
