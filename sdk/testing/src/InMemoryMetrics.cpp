#include "ekaci/sdk/testing/InMemoryMetrics.h"

#include <algorithm>

namespace ekaci::sdk::testing {

// One series: a counter, gauge or histogram with fixed labels.
class InMemoryMetrics::Series : public Counter, public Gauge, public Histogram {
 public:
  explicit Series(char type) : type_(type) {}
  char type() const { return type_; }

  void increment(double amount) override {
    std::lock_guard lock(mutex_);
    value_ += amount;
  }
  void set(double v) override {
    std::lock_guard lock(mutex_);
    value_ = v;
  }
  void decrement(double amount) override {
    std::lock_guard lock(mutex_);
    value_ -= amount;
  }
  double value() const override {
    std::lock_guard lock(mutex_);
    return value_;
  }
  void observe(double v) override {
    std::lock_guard lock(mutex_);
    observations_.push_back(v);
  }
  std::vector<double> observations() const {
    std::lock_guard lock(mutex_);
    return observations_;
  }

 private:
  char type_;
  mutable std::mutex mutex_;
  double value_ = 0.0;
  std::vector<double> observations_;
};

namespace {
std::string seriesKey(std::string_view name, MetricLabels labels) {
  std::sort(labels.begin(), labels.end());
  std::string key(name);
  for (const auto& [k, v] : labels) key += "|" + k + "=" + v;
  return key;
}
}  // namespace

InMemoryMetrics::InMemoryMetrics() = default;
InMemoryMetrics::~InMemoryMetrics() = default;

InMemoryMetrics::Series& InMemoryMetrics::series(char type, std::string_view name, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = series_[seriesKey(name, labels)];
  if (!slot) slot = std::make_unique<Series>(type);
  return *slot;
}

const InMemoryMetrics::Series* InMemoryMetrics::findSeries(std::string_view name, const MetricLabels& labels) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(seriesKey(name, labels));
  return it == series_.end() ? nullptr : it->second.get();
}

Counter& InMemoryMetrics::counter(std::string_view name, std::string_view, const MetricLabels& labels) {
  return series('c', name, labels);
}

Gauge& InMemoryMetrics::gauge(std::string_view name, std::string_view, const MetricLabels& labels) {
  return series('g', name, labels);
}

Histogram& InMemoryMetrics::histogram(std::string_view name, std::string_view, const MetricLabels& labels,
                                      const std::vector<double>&) {
  return series('h', name, labels);
}

std::optional<double> InMemoryMetrics::value(std::string_view name, const MetricLabels& labels) const {
  const Series* s = findSeries(name, labels);
  if (s == nullptr) return std::nullopt;
  return s->value();
}

std::vector<double> InMemoryMetrics::observations(std::string_view name, const MetricLabels& labels) const {
  const Series* s = findSeries(name, labels);
  return s == nullptr ? std::vector<double>{} : s->observations();
}

}  // namespace ekaci::sdk::testing
