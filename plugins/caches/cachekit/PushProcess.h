#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "ekaci/sdk/Credentials.h"
#include "ekaci/sdk/ProcessRunner.h"
#include "ekaci/sdk/Result.h"

namespace ekaci::plugins::caches {

// Runs a cache tool (nix, cachix, attic) the way every cache plugin must: with a small
// environment of its own (PATH, HOME, TMPDIR, the locale, Nix's own variables, then the
// credentials and the plugin's extras) instead of the server's, within the push's time limit,
// and with a failure message that quotes the tool's last words without any credential value.
class PushProcess {
 public:
  using Environment = std::vector<std::pair<std::string, std::string>>;

  // What the tool sees: the inherited basics, then `credentials` (each entry under its own
  // name), then `extra` (overriding both).
  static Environment environment(const sdk::Credentials& credentials, const Environment& extra);

  // Runs argv. Not startable: CacheUnavailable; past the limit: CacheTimeout; non-zero exit
  // or signal: CachePushFailed, all naming `what` ("cachix push mycache").
  static sdk::Result<sdk::ProcessResult> run(sdk::ProcessRunner& processes, const std::vector<std::string>& argv,
                                             Environment environment, std::chrono::seconds timeout,
                                             const sdk::Credentials& credentials, const std::string& what);

  // `text` with every credential value replaced by "***".
  static std::string redact(std::string text, const sdk::Credentials& credentials);
};

}  // namespace ekaci::plugins::caches
