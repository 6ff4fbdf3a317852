#include "kernel/services/ScopedMetrics.h"

namespace ekaci::services {

sdk::MetricLabels ScopedMetrics::merged(const sdk::MetricLabels& labels) const {
  sdk::MetricLabels out = scope_;
  for (const auto& label : labels) {
    bool scoped = false;
    for (const auto& fixed : scope_) scoped = scoped || fixed.first == label.first;
    if (!scoped) out.push_back(label);  // a plugin cannot overwrite its identity labels
  }
  return out;
}

}  // namespace ekaci::services
