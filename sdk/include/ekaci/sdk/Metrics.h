#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ekaci/sdk/Export.h"

namespace ekaci::sdk {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class EKACI_SDK_API Counter {
 public:
  virtual ~Counter();
  virtual void increment(double amount = 1.0) = 0;
  virtual double value() const = 0;
};

class EKACI_SDK_API Gauge {
 public:
  virtual ~Gauge();
  virtual void set(double value) = 0;
  virtual void increment(double amount = 1.0) = 0;
  virtual void decrement(double amount = 1.0) = 0;
  virtual double value() const = 0;
};

class EKACI_SDK_API Histogram {
 public:
  virtual ~Histogram();
  virtual void observe(double value) = 0;
};

// Metrics by name + labels. Names are given without the server prefix ("cache_pushes_total");
// the host adds "eka_ci_" and, for plugins, labels naming the plugin instance.
//
// Threading: every method and every returned handle may be used from any thread.
// Lifetime: returned references stay valid as long as the Metrics object; asking twice for
// the same name and labels returns the same handle. Using one name with two types is a
// programming error the host reports in its log and answers with a detached handle.
class EKACI_SDK_API Metrics {
 public:
  virtual ~Metrics();
  virtual Counter& counter(std::string_view name, std::string_view help, const MetricLabels& labels) = 0;
  virtual Gauge& gauge(std::string_view name, std::string_view help, const MetricLabels& labels) = 0;
  virtual Histogram& histogram(std::string_view name, std::string_view help, const MetricLabels& labels,
                               const std::vector<double>& bucketBounds) = 0;
};

}  // namespace ekaci::sdk
