#include "kernel/services/PrometheusMetrics.h"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <variant>

namespace ekaci::services {
namespace {

class CounterHandle : public sdk::Counter {
 public:
  explicit CounterHandle(prometheus::Counter* c) : c_(c) {}
  void increment(double amount) override {
    if (c_ != nullptr && amount >= 0) c_->Increment(amount);
  }
  double value() const override { return c_ != nullptr ? c_->Value() : 0.0; }

 private:
  prometheus::Counter* c_;
};

class GaugeHandle : public sdk::Gauge {
 public:
  explicit GaugeHandle(prometheus::Gauge* g) : g_(g) {}
  void set(double v) override {
    if (g_ != nullptr) g_->Set(v);
  }
  void increment(double amount) override {
    if (g_ != nullptr) g_->Increment(amount);
  }
  void decrement(double amount) override {
    if (g_ != nullptr) g_->Decrement(amount);
  }
  double value() const override { return g_ != nullptr ? g_->Value() : 0.0; }

 private:
  prometheus::Gauge* g_;
};

class HistogramHandle : public sdk::Histogram {
 public:
  explicit HistogramHandle(prometheus::Histogram* h) : h_(h) {}
  void observe(double v) override {
    if (h_ != nullptr) h_->Observe(v);
  }

 private:
  prometheus::Histogram* h_;
};

std::map<std::string, std::string> toMap(const sdk::MetricLabels& labels) {
  return std::map<std::string, std::string>(labels.begin(), labels.end());
}

std::string seriesKey(const std::string& name, const std::map<std::string, std::string>& labels) {
  std::string key = name;
  for (const auto& [k, v] : labels) key += "\x1f" + k + "=" + v;
  return key;
}

bool validName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
  }) && !(name.front() >= '0' && name.front() <= '9');
}

}  // namespace

struct PrometheusMetrics::Handles {
  using Family = std::variant<prometheus::Family<prometheus::Counter>*, prometheus::Family<prometheus::Gauge>*,
                              prometheus::Family<prometheus::Histogram>*>;
  std::map<std::string, Family> families;
  std::map<std::string, std::unique_ptr<CounterHandle>> counters;
  std::map<std::string, std::unique_ptr<GaugeHandle>> gauges;
  std::map<std::string, std::unique_ptr<HistogramHandle>> histograms;
  CounterHandle detachedCounter{nullptr};
  GaugeHandle detachedGauge{nullptr};
  HistogramHandle detachedHistogram{nullptr};
};

PrometheusMetrics::PrometheusMetrics(sdk::Logger& logger)
    : logger_(logger), registry_(std::make_shared<prometheus::Registry>()), handles_(std::make_unique<Handles>()) {}

PrometheusMetrics::~PrometheusMetrics() = default;

namespace {
// Finds or creates one series. Build is prometheus::BuildCounter/BuildGauge/BuildHistogram;
// AddSeries adds the labelled series to the family.
template <typename Metric, typename Handle, typename Families, typename Series, typename Build, typename AddSeries>
Handle& findOrCreate(Families& families, Series& series, Handle& detached, sdk::Logger& logger,
                     prometheus::Registry& registry, std::string_view name, std::string_view help,
                     const sdk::MetricLabels& labels, const char* typeName, Build build, AddSeries addSeries) {
  const std::string full = PrometheusMetrics::kPrefix + std::string(name);
  const auto labelMap = toMap(labels);
  const std::string key = seriesKey(full, labelMap);
  if (auto it = series.find(key); it != series.end()) return *it->second;
  auto [slot, inserted] = families.try_emplace(full);
  if (inserted) {
    if (!validName(full)) {
      families.erase(slot);
      logger.error("invalid metric name", {{"metric", full}});
      return detached;
    }
    slot->second = &build().Name(full).Help(std::string(help)).Register(registry);
  }
  auto* family = std::get_if<prometheus::Family<Metric>*>(&slot->second);
  if (family == nullptr) {
    logger.error("metric registered with another type", {{"metric", full}, {"requested", typeName}});
    return detached;
  }
  auto handle = std::make_unique<Handle>(&addSeries(**family, labelMap));
  return *(series[key] = std::move(handle));
}
}  // namespace

sdk::Counter& PrometheusMetrics::counter(std::string_view name, std::string_view help, const sdk::MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  return findOrCreate<prometheus::Counter>(
      handles_->families, handles_->counters, handles_->detachedCounter, logger_, *registry_, name, help, labels,
      "counter", [] { return prometheus::BuildCounter(); },
      [](auto& family, const auto& labelMap) -> prometheus::Counter& { return family.Add(labelMap); });
}

sdk::Gauge& PrometheusMetrics::gauge(std::string_view name, std::string_view help, const sdk::MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  return findOrCreate<prometheus::Gauge>(
      handles_->families, handles_->gauges, handles_->detachedGauge, logger_, *registry_, name, help, labels, "gauge",
      [] { return prometheus::BuildGauge(); },
      [](auto& family, const auto& labelMap) -> prometheus::Gauge& { return family.Add(labelMap); });
}

sdk::Histogram& PrometheusMetrics::histogram(std::string_view name, std::string_view help,
                                             const sdk::MetricLabels& labels, const std::vector<double>& bucketBounds) {
  std::lock_guard lock(mutex_);
  return findOrCreate<prometheus::Histogram>(
      handles_->families, handles_->histograms, handles_->detachedHistogram, logger_, *registry_, name, help, labels,
      "histogram", [] { return prometheus::BuildHistogram(); },
      [&](auto& family, const auto& labelMap) -> prometheus::Histogram& {
        return family.Add(labelMap, prometheus::Histogram::BucketBoundaries(bucketBounds));
      });
}

std::string PrometheusMetrics::render() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

}  // namespace ekaci::services
