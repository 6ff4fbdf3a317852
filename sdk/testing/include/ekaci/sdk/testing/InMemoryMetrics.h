#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ekaci/sdk/Metrics.h"

namespace ekaci::sdk::testing {

// Metrics kept in memory; values can be read back by name and labels.
class InMemoryMetrics : public Metrics {
 public:
  InMemoryMetrics();
  ~InMemoryMetrics() override;

  Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels) override;
  Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels) override;
  Histogram& histogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                       const std::vector<double>& bucketBounds) override;

  // The current value of a counter or gauge; nullopt when it was never created.
  std::optional<double> value(std::string_view name, const MetricLabels& labels = {}) const;
  // Every observation of a histogram, in order.
  std::vector<double> observations(std::string_view name, const MetricLabels& labels = {}) const;

 private:
  class Series;
  Series& series(char type, std::string_view name, const MetricLabels& labels);
  const Series* findSeries(std::string_view name, const MetricLabels& labels) const;

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<Series>> series_;
};

}  // namespace ekaci::sdk::testing
