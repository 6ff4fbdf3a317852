#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

#include "ekaci/sdk/Clock.h"

namespace ekaci::forge {

// At most one comment command per (forge, repository, user) per interval; the others are
// dropped without an answer (an answer would amplify the spam). Process-local: a restart
// forgets it. The map is pruned of expired entries when it grows past maxEntries.
//
// Threading: any thread.
class CommandRateLimiter {
 public:
  CommandRateLimiter(const sdk::Clock& clock, std::chrono::seconds interval, std::size_t maxEntries = 10000)
      : clock_(clock), interval_(interval), maxEntries_(maxEntries) {}

  // True (and the time recorded) when the user may issue a command now.
  bool admit(const std::string& forgeId, const std::string& repository, const std::string& user);

 private:
  const sdk::Clock& clock_;
  std::chrono::seconds interval_;
  std::size_t maxEntries_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> last_;
};

}  // namespace ekaci::forge
