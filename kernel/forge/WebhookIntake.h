#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Clock.h"
#include "ekaci/sdk/Logger.h"
#include "ekaci/sdk/Metrics.h"
#include "kernel/forge/ForgeInstances.h"
#include "kernel/storage/Storage.h"

namespace ekaci::forge {

// Receives one webhook delivery: size cap, then the forge's verification before anything in
// the body is parsed, then parsing, then storing every event of the delivery in one
// transaction (a delivery id seen before is acknowledged and ignored). The answer goes out
// only after the events are stored, so an acknowledged delivery is never lost; processing
// happens later, on the event processor's thread, which `stored` wakes.
//
// Threading: receive() runs on the HTTP threads, concurrently.
class WebhookIntake {
 public:
  static constexpr std::size_t kMaxBodyBytes = std::size_t{5} * 1024 * 1024;

  struct Services {
    storage::Storage& storage;
    sdk::Metrics& metrics;
    sdk::Logger& logger;
    const sdk::Clock& clock;
  };
  struct Reply {
    int status = 202;
    std::string body;  // JSON
  };

  WebhookIntake(Services services, std::function<void()> stored);

  Reply receive(ForgeInstances::Instance& instance, const std::vector<std::pair<std::string, std::string>>& headers,
                const std::string& body, const std::string& path);

 private:
  Reply refuse(int status, sdk::ErrorCode code, const std::string& message, const std::string& reason);

  Services services_;
  std::function<void()> stored_;
  sdk::Counter& verified_;
  sdk::Counter& duplicates_;
  sdk::Histogram& seconds_;
};

}  // namespace ekaci::forge
