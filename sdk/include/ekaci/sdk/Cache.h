#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ekaci/sdk/Export.h"
#include "ekaci/sdk/HostServices.h"
#include "ekaci/sdk/PluginFactory.h"
#include "ekaci/sdk/PluginInstance.h"
#include "ekaci/sdk/Result.h"
#include "ekaci/sdk/Value.h"

namespace ekaci::sdk {

struct CachePushRequest {
  std::vector<std::string> storePaths;  // output paths; the cache pushes their closure
  std::string repository;               // "owner/name", for audit logs
  std::string branch;
  std::chrono::seconds timeout{0};  // the whole push (security.max_hook_timeout_seconds); 0: none
};

struct CachePushResult {
  std::size_t pushed = 0;   // paths newly uploaded
  std::size_t present = 0;  // paths the cache already had
  std::uint64_t bytes = 0;  // NAR bytes of the paths newly uploaded, when the cache knows them
};

// A binary cache the server pushes build results to.
//
// Threading: calls may come from several threads at once.
// Contract (checked by the conformance suite): pushing the same paths twice succeeds and
// the second push uploads nothing new; contains() reflects every successful push.
// Errors: CachePushFailed (the backend refused or failed; worth retrying), CacheTimeout,
// CacheUnavailable (its program is missing, its address unreachable); the credentials'
// own errors. Messages never contain a credential.
class EKACI_SDK_API Cache : public PluginInstance {
 public:
  ~Cache() override;
  virtual Result<CachePushResult> push(const CachePushRequest& request) = 0;
  // Which of these store paths the cache already holds (same order, same length).
  virtual Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) = 0;
  // The cache's address as shown to people, without credentials.
  virtual std::string describe() const = 0;
};

}  // namespace ekaci::sdk
