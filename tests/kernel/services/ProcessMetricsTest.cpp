#include "kernel/services/ProcessMetrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>

namespace ekaci::services {
namespace {

std::map<std::string, double> parse(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

TEST(ProcessMetricsTest, TheStandardProcessMetricsDescribeThisProcess) {
  auto before = parse(ProcessMetrics::render());
  for (const char* name : {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                           "process_open_fds", "process_max_fds", "process_start_time_seconds", "process_threads"}) {
    EXPECT_EQ(before.count(name), 1u) << name;
  }
  EXPECT_GT(before["process_resident_memory_bytes"], 1024 * 1024);
  EXPECT_GE(before["process_threads"], 1);
  const double now = static_cast<double>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  EXPECT_LE(before["process_start_time_seconds"], now + 1);
  EXPECT_GT(before["process_start_time_seconds"], now - 3600);

  // Burn CPU and open files: the figures follow.
  volatile double sink = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < until) sink = sink + 1;
  std::FILE* files[8];
  for (auto& f : files) f = std::tmpfile();
  auto after = parse(ProcessMetrics::render());
  for (auto* f : files) EXPECT_EQ(std::fclose(f), 0);
  EXPECT_GT(after["process_cpu_seconds_total"], before["process_cpu_seconds_total"] + 0.1);
  EXPECT_GE(after["process_open_fds"], before["process_open_fds"] + 8);
}

}  // namespace
}  // namespace ekaci::services
