#include "kernel/scheduler/BuildRecorder.h"

namespace ekaci::scheduler {

BuildRecorder::BuildRecorder(storage::Storage& storage, sdk::Clock& clock, sdk::Logger& logger)
    : storage_(storage), clock_(clock), logger_(logger) {
  storage_.setTransitionGuard([](const std::string& from, const std::string& to) {
    if (from == "new") return true;
    const auto before = statusFromName(from), after = statusFromName(to);
    return before && after && transitionAllowed(before->state, after->state);
  });
}

std::int64_t BuildRecorder::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.now().time_since_epoch()).count();
}

bool BuildRecorder::transition(BuildGraph::Node& node, BuildStatus to, const std::string& detail, bool newAttempt) {
  if (!transitionAllowed(node.status.state, to.state)) {
    logger_.error("refused build state transition",
                  {{"drv", node.path}, {"from", statusName(node.status)}, {"to", statusName(to)}});
    return false;
  }
  const std::int64_t attempt = newAttempt ? node.attempt + 1 : node.attempt;
  storage::BuildEventRecord event{0, node.drvId, attempt, statusName(to), detail, now()};
  if (auto ok = storage_.recordBuildEvent(event); !ok) {
    logger_.error("cannot persist a build event; not acting on it",
                  {{"drv", node.path}, {"state", statusName(to)}, {"error", ok.error().describe()}});
    return false;
  }
  node.status = to;
  node.attempt = attempt;
  node.detail = detail;
  return true;
}

void BuildRecorder::firstQueued(BuildGraph::Node& node, const std::string& detail) {
  storage::BuildEventRecord event{0, node.drvId, node.attempt, "queued", detail, now()};
  if (auto ok = storage_.recordBuildEvent(event); !ok) {
    logger_.error("cannot persist a build event", {{"drv", node.path}, {"error", ok.error().describe()}});
  }
  node.detail = detail;
}

void BuildRecorder::settleOrphan(const storage::DrvBuildStatus& row, const std::string& state,
                                 const std::string& detail) {
  (void)storage_.recordBuildEvent(storage::BuildEventRecord{0, row.drvId, row.attempt, state, detail, now()});
}

bool BuildRecorder::cacheFailure(const BuildGraph::Node& node, std::int64_t expiresAt) {
  if (auto ok = storage_.setFailureExpiry(node.drvId, expiresAt); !ok) {
    logger_.warn("cannot cache a failure", {{"drv", node.path}, {"error", ok.error().describe()}});
    return false;
  }
  return true;
}

}  // namespace ekaci::scheduler
