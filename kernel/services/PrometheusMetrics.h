#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"

namespace prometheus {
class Registry;
}

namespace ekaci::services {

// sdk::Metrics backed by a prometheus-cpp registry. Every name gets the "eka_ci_" prefix.
// Asking for an existing name with another type logs an error and returns a detached
// handle that counts nothing, instead of crashing the server.
class PrometheusMetrics : public sdk::Metrics {
 public:
  explicit PrometheusMetrics(sdk::Logger& logger);
  ~PrometheusMetrics() override;

  sdk::Counter& counter(std::string_view name, std::string_view help, const sdk::MetricLabels& labels) override;
  sdk::Gauge& gauge(std::string_view name, std::string_view help, const sdk::MetricLabels& labels) override;
  sdk::Histogram& histogram(std::string_view name, std::string_view help, const sdk::MetricLabels& labels,
                            const std::vector<double>& bucketBounds) override;

  // The Prometheus text exposition format (version 0.0.4) of every metric.
  std::string render() const;

  static constexpr const char* kPrefix = "eka_ci_";

 private:
  struct Handles;
  sdk::Logger& logger_;
  std::shared_ptr<prometheus::Registry> registry_;
  mutable std::mutex mutex_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace ekaci::services
