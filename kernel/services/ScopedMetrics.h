#pragma once

#include "ekaci/sdk/Metrics.h"

namespace ekaci::services {

// Forwards to another Metrics, adding fixed labels (the plugin instance) to every series.
class ScopedMetrics : public sdk::Metrics {
 public:
  ScopedMetrics(sdk::Metrics& target, sdk::MetricLabels scope) : target_(target), scope_(std::move(scope)) {}

  sdk::Counter& counter(std::string_view name, std::string_view help, const sdk::MetricLabels& labels) override {
    return target_.counter(name, help, merged(labels));
  }
  sdk::Gauge& gauge(std::string_view name, std::string_view help, const sdk::MetricLabels& labels) override {
    return target_.gauge(name, help, merged(labels));
  }
  sdk::Histogram& histogram(std::string_view name, std::string_view help, const sdk::MetricLabels& labels,
                            const std::vector<double>& bucketBounds) override {
    return target_.histogram(name, help, merged(labels), bucketBounds);
  }

 private:
  sdk::MetricLabels merged(const sdk::MetricLabels& labels) const;

  sdk::Metrics& target_;
  sdk::MetricLabels scope_;
};

}  // namespace ekaci::services
