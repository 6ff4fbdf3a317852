#pragma once

#include <string>

namespace ekaci::services {

// The standard Prometheus process metrics of this process, read from /proc at each scrape:
// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds and process_threads. They
// carry no eka_ci_ prefix, as every Prometheus client names them. Text exposition format.
class ProcessMetrics {
 public:
  static std::string render();
};

}  // namespace ekaci::services
