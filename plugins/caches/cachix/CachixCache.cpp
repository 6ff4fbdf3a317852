#include "CachixCache.h"

#include "cachekit/CacheCredentials.h"
#include "cachekit/NarinfoProbe.h"
#include "cachekit/PresentPaths.h"
#include "cachekit/PushProcess.h"

namespace ekaci::plugins::caches {

sdk::Result<std::vector<bool>> CachixCache::held(const std::vector<std::string>& storePaths,
                                                 const sdk::Credentials& credentials) {
  return NarinfoProbe::contains(host_.http(), settings_.cacheUrl, storePaths, credentials.find("CACHIX_AUTH_TOKEN"));
}

sdk::Result<sdk::CachePushResult> CachixCache::push(const sdk::CachePushRequest& request) {
  sdk::CachePushResult result;
  if (request.storePaths.empty()) return result;
  auto credentials = CacheCredentials::fetch(host_, settings_.credentials);
  if (!credentials) return std::move(credentials).error();
  if (!credentials->contains("CACHIX_AUTH_TOKEN")) {
    return sdk::Error(sdk::ErrorCode::SecretNotFound,
                      "cachix " + settings_.name + ": the credentials give no CACHIX_AUTH_TOKEN");
  }
  auto present = held(request.storePaths, *credentials);
  if (!present) return std::move(present).error();
  const auto missing = PresentPaths::missing(request.storePaths, *present, result);
  if (missing.empty()) return result;
  std::vector<std::string> argv = {settings_.cachixProgram, "push", settings_.name};
  argv.insert(argv.end(), missing.begin(), missing.end());
  sdk::Credentials forCachix;  // only what cachix reads
  for (const char* name : {"CACHIX_AUTH_TOKEN", "CACHIX_SIGNING_KEY"}) {
    if (const auto* value = credentials->find(name)) forCachix.set(name, value->duplicate());
  }
  auto ran = PushProcess::run(host_.processes(), argv, PushProcess::environment(forCachix, {}), request.timeout,
                              *credentials, "cachix push " + settings_.name);
  if (!ran) return std::move(ran).error();
  result.pushed = missing.size();
  return result;
}

sdk::Result<std::vector<bool>> CachixCache::contains(const std::vector<std::string>& storePaths) {
  auto credentials = CacheCredentials::fetch(host_, settings_.credentials);
  if (!credentials) return std::move(credentials).error();
  return held(storePaths, *credentials);
}

}  // namespace ekaci::plugins::caches
