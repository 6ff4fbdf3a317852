#include "kernel/review/SizeResults.h"

namespace ekaci::review {

std::optional<double> OutputSizeChange::closurePercent() const {
  if (!base || base->closureSize <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(head.closureSize - base->closureSize) / static_cast<double>(base->closureSize);
}

std::vector<const OutputSizeChange*> JobSizes::overLimit() const {
  std::vector<const OutputSizeChange*> out;
  if (!limitPercent) return out;
  for (const auto& change : outputs) {
    auto grown = change.closurePercent();
    if (grown && *grown > *limitPercent) out.push_back(&change);
  }
  return out;
}

}  // namespace ekaci::review
