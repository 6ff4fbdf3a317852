#include "kernel/services/PrometheusMetrics.h"

#include <gtest/gtest.h>

#include "ekaci/sdk/testing/CapturingLogger.h"
#include "kernel/services/ScopedMetrics.h"

namespace ekaci::services {

TEST(PrometheusMetricsTest, RendersPrefixedSeriesInTextFormat) {
  sdk::testing::CapturingLogger logger;
  PrometheusMetrics metrics(logger);
  metrics.counter("build_outcome_total", "Builds by outcome.", {{"outcome", "success"}}).increment(2);
  metrics.gauge("build_queue_depth", "Pending builds.", {{"platform", "x86_64-linux"}}).set(7);
  metrics.histogram("build_duration_seconds", "Build time.", {}, {1, 10}).observe(3);
  const std::string text = metrics.render();
  EXPECT_NE(text.find("# TYPE eka_ci_build_outcome_total counter"), std::string::npos) << text;
  EXPECT_NE(text.find("eka_ci_build_outcome_total{outcome=\"success\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("eka_ci_build_queue_depth{platform=\"x86_64-linux\"} 7"), std::string::npos) << text;
  EXPECT_NE(text.find("eka_ci_build_duration_seconds_bucket{le=\"10\"} 1"), std::string::npos) << text;
}

TEST(PrometheusMetricsTest, SameNameAndLabelsGiveTheSameHandle) {
  sdk::testing::CapturingLogger logger;
  PrometheusMetrics metrics(logger);
  auto& a = metrics.counter("x_total", "", {{"k", "v"}});
  auto& b = metrics.counter("x_total", "", {{"k", "v"}});
  EXPECT_EQ(&a, &b);
  a.increment();
  EXPECT_EQ(b.value(), 1.0);
}

TEST(PrometheusMetricsTest, TypeConflictsAndBadNamesAreLoggedNotFatal) {
  sdk::testing::CapturingLogger logger;
  PrometheusMetrics metrics(logger);
  metrics.counter("thing", "", {}).increment();
  auto& wrong = metrics.gauge("thing", "", {});
  wrong.set(5);  // detached: no effect, no crash
  EXPECT_TRUE(logger.contains("metric registered with another type"));
  metrics.counter("bad name!", "", {}).increment();
  EXPECT_TRUE(logger.contains("invalid metric name"));
  EXPECT_EQ(metrics.render().find("bad name"), std::string::npos);
}

TEST(ScopedMetricsTest, AddsInstanceLabelsThatCannotBeOverridden) {
  sdk::testing::CapturingLogger logger;
  PrometheusMetrics metrics(logger);
  ScopedMetrics scoped(metrics, {{"plugin_type", "attic"}, {"instance", "main"}});
  scoped.counter("pushes_total", "", {{"instance", "spoofed"}, {"result", "ok"}}).increment();
  const std::string text = metrics.render();
  EXPECT_NE(text.find("instance=\"main\""), std::string::npos) << text;
  EXPECT_EQ(text.find("spoofed"), std::string::npos) << text;
  EXPECT_NE(text.find("result=\"ok\""), std::string::npos) << text;
}

}  // namespace ekaci::services
