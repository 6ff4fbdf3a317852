#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <string>
#include <vector>

#include "ekaci/sdk/Result.h"
#include "kernel/publish/HookRunner.h"
#include "kernel/scheduler/Scheduler.h"
#include "kernel/storage/Storage.h"

namespace ekaci::server {

// Builds, jobsets and logs as the HTTP API and the CLI see them. Every answer is a JSON
// document (or log text); errors carry stable codes: InvalidArgument for a malformed name,
// NotFound for an unknown one.
//
// Threading: every method may be called from any thread.
class BuildService {
 public:
  BuildService(scheduler::Scheduler& scheduler, storage::Storage& storage) : scheduler_(scheduler), storage_(storage) {}

  // `drv` is a derivation file name ("<hash>-name.drv") or a full /nix/store path.
  sdk::Result<std::string> derivationJson(const std::string& drv) const;
  sdk::Result<std::string> jobsetJson(std::int64_t jobsetId) const;
  sdk::Result<std::string> activeJson(std::size_t limit) const;
  // `drv` as above, or the 32-character hash.
  sdk::Result<std::string> log(const std::string& drv) const;
  // The log of post-build hook `name` of `drv` (as above), at most the last 4 MiB.
  sdk::Result<std::string> hookLog(const publish::HookRunner& hooks, const std::string& drv,
                                   const std::string& name) const;
  // Builds the given derivations as a new ad-hoc jobset; returns its id.
  sdk::Result<std::int64_t> submit(const std::vector<std::string>& drvPaths, bool forgetFailures = false);

  // The socket commands "builds", "build", "jobset", "logs": the whole response document.
  std::string handle(const std::string& command, const Poco::JSON::Object& request);
  static bool handles(const std::string& command);

  // The full store path of a derivation named by file name or path; InvalidArgument when it
  // is not one (so no name can reach outside the store).
  static sdk::Result<std::string> drvPathOf(const std::string& drv);

 private:
  scheduler::Scheduler& scheduler_;
  storage::Storage& storage_;
  std::atomic<std::int64_t> adHocCounter_{0};
};

}  // namespace ekaci::server
