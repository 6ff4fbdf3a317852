#include "kernel/review/ReviewReport.h"

namespace ekaci::review {

const char* toString(ChangeClass change) {
  switch (change) {
    case ChangeClass::Added:
      return "added";
    case ChangeClass::Removed:
      return "removed";
    case ChangeClass::VersionBump:
      return "version-bump";
    case ChangeClass::Renamed:
      return "renamed";
    case ChangeClass::RebuildOnly:
      return "rebuild-only";
    case ChangeClass::Unchanged:
      return "unchanged";
  }
  return "unknown";
}

const char* toString(EvalErrorChange change) {
  switch (change) {
    case EvalErrorChange::New:
      return "new";
    case EvalErrorChange::Fixed:
      return "fixed";
    case EvalErrorChange::Still:
      return "still";
  }
  return "unknown";
}

std::string rebuildBucket(std::size_t count) {
  if (count == 0) return "0";
  if (count <= 10) return "1-10";
  if (count <= 100) return "11-100";
  if (count <= 500) return "101-500";
  if (count <= 1000) return "501-1000";
  if (count <= 2500) return "1001-2500";
  if (count <= 5000) return "2501-5000";
  return "5001+";
}

bool JobReview::clean() const {
  if (headFailure) return false;
  return allowEvalFailures || counts.newErrors == 0;
}

bool ReviewReport::clean() const {
  for (const auto& job : jobs) {
    if (!job.clean()) return false;
  }
  return true;
}

bool ReviewReport::buildsClean() const {
  if (!builds) return true;
  for (const auto& job : *builds) {
    if (!job.clean()) return false;
  }
  return true;
}

std::size_t ReviewReport::newlyFailingBuilds() const {
  std::size_t count = 0;
  if (builds) {
    for (const auto& job : *builds) count += job.newlyFailing;
  }
  return count;
}

}  // namespace ekaci::review
