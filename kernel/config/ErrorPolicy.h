#pragma once

#include <string>
#include <vector>

#include "ekaci/sdk/ErrorCode.h"
#include "kernel/config/ExitStatus.h"

namespace ekaci::config {

// What eka-ci does with an error of each group of codes: at start-up (stop, or start and
// degrade), while running (fail the one request, retry with backoff, count), and which exit
// status a command that ends with it returns. One table, rendered into docs/ERRORS.md.
class ErrorPolicy {
 public:
  struct Group {
    int first = 0, last = 0;  // code range, inclusive
    std::string name;
    std::string atStartUp;
    std::string whileRunning;
    ExitStatus exit = ExitStatus::CouldNot;
  };

  static const std::vector<Group>& groups();
  static const Group* groupOf(sdk::ErrorCode code);
  static ExitStatus exitFor(sdk::ErrorCode code);
  // The policy and the exit statuses as Markdown (the top of docs/ERRORS.md).
  static std::string markdown();
};

}  // namespace ekaci::config
