// docs/METRICS.md is generated from the sources: every counter, gauge and histogram the
// kernel and the bundled plugins create, with its help text and labels. This test fails
// when the page and the code disagree; EKACI_UPDATE_GOLDEN=1 rewrites the page.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "tests/support/Golden.h"

namespace ekaci::docs {
namespace {

struct Metric {
  std::string type;
  std::string help;
  std::set<std::string> labels;
  std::set<std::string> sources;
};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::map<std::string, Metric> scan() {
  std::map<std::string, Metric> out;
  static const std::regex kCall(
      R"re(\.(counter|gauge|histogram)\(\s*"([a-z0-9_]+)"\s*,\s*((?:"(?:[^"\\]|\\.)*"\s*)+),\s*(\{[^;]*?\}\s*\}|\{\s*\}))re");
  static const std::regex kLiteral(R"re("((?:[^"\\]|\\.)*)")re");
  static const std::regex kLabel(R"re(\{\s*"([a-z_]+)"\s*,)re");
  for (const char* dir : {"kernel", "plugins"}) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(std::filesystem::path(EKACI_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".cpp") continue;
      const std::string text = readFile(entry.path());
      for (auto it = std::sregex_iterator(text.begin(), text.end(), kCall); it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        Metric& metric = out["eka_ci_" + m[2].str()];
        metric.type = m[1].str();
        std::string help;
        const std::string literals = m[3].str();
        for (auto l = std::sregex_iterator(literals.begin(), literals.end(), kLiteral); l != std::sregex_iterator();
             ++l) {
          help += (*l)[1].str();
        }
        metric.help = help;
        const std::string labels = m[4].str();
        for (auto l = std::sregex_iterator(labels.begin(), labels.end(), kLabel); l != std::sregex_iterator(); ++l) {
          metric.labels.insert((*l)[1].str());
        }
        const bool plugin = std::string(dir) == "plugins";
        if (plugin) {
          for (const char* l : {"plugin_kind", "plugin_type", "instance"}) metric.labels.insert(l);
        }
        metric.sources.insert(std::filesystem::relative(entry.path(), EKACI_SOURCE_DIR).string());
      }
    }
  }
  return out;
}

std::string render(const std::map<std::string, Metric>& metrics) {
  std::ostringstream out;
  out << "# Metrics\n\n"
         "Generated from the sources by `tests/docs/MetricsDocTest.cpp` (`EKACI_UPDATE_GOLDEN=1 build/bin/docs_tests` "
         "rewrites it). Served at `/metrics` and `/v1/metrics` in Prometheus' text format. Metrics of plugins carry "
         "the labels `plugin_kind`, `plugin_type` and `instance` of the plugin instance.\n\n"
         "| Metric | Type | Labels | Meaning | Source |\n|---|---|---|---|---|\n";
  for (const auto& [name, m] : metrics) {
    std::string labels, sources;
    for (const auto& l : m.labels) labels += (labels.empty() ? "`" : ", `") + l + "`";
    for (const auto& s : m.sources) sources += (sources.empty() ? "`" : ", `") + s + "`";
    std::string help = m.help;
    for (std::size_t p = 0; (p = help.find('|', p)) != std::string::npos; p += 2) help.replace(p, 1, "\\|");
    out << "| `" << name << "` | " << m.type << " | " << labels << " | " << help << " | " << sources << " |\n";
  }
  out << "\nThe standard process metrics, without the `eka_ci_` prefix, read from `/proc` at each scrape "
         "(`kernel/services/ProcessMetrics.cpp`): `process_cpu_seconds_total`, `process_resident_memory_bytes`, "
         "`process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`, `process_start_time_seconds`, "
         "`process_threads`.\n";
  return out.str();
}

TEST(MetricsDocTest, TheMetricsPageListsEveryMetricOfTheSources) {
  auto metrics = scan();
  // The scanner itself: metrics known to exist are found with their labels.
  ASSERT_EQ(metrics.count("eka_ci_webhook_signature_failures_total"), 1u);
  EXPECT_EQ(metrics["eka_ci_webhook_signature_failures_total"].labels, std::set<std::string>{"reason"});
  ASSERT_EQ(metrics.count("eka_ci_build_queue_depth"), 1u);
  EXPECT_EQ(metrics.count("eka_ci_github_rate_limit_remaining"), 1u);
  for (const auto& [name, m] : metrics) EXPECT_FALSE(m.help.empty()) << name;
  const std::string difference = testsupport::compareWithGolden("docs/METRICS.md", render(metrics));
  EXPECT_TRUE(difference.empty()) << difference;
}

}  // namespace
}  // namespace ekaci::docs
