#include "NixCopyCache.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <map>

#include "cachekit/CacheCredentials.h"
#include "cachekit/PushProcess.h"

namespace ekaci::plugins::caches {
namespace {

// `nix path-info --json` prints an array of {path, narSize, ...} objects; paths a store does
// not hold appear as {path, valid: false}.
sdk::Result<std::map<std::string, std::pair<bool, std::uint64_t>>> parsePathInfo(const std::string& json) {
  std::map<std::string, std::pair<bool, std::uint64_t>> out;
  try {
    Poco::JSON::Parser parser;
    auto array = parser.parse(json).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) {
      auto entry = array->getObject(static_cast<unsigned>(i));
      if (!entry) continue;
      const std::string path = entry->optValue<std::string>("path", "");
      const bool valid = !entry->has("valid") || entry->getValue<bool>("valid");
      const auto size = entry->optValue<std::uint64_t>("narSize", 0);
      out[path] = {valid, size};
    }
  } catch (const Poco::Exception& e) {
    return sdk::Error(sdk::ErrorCode::CachePushFailed, "nix path-info printed no JSON list: " + e.displayText());
  } catch (const std::exception& e) {
    return sdk::Error(sdk::ErrorCode::CachePushFailed, std::string("nix path-info printed no JSON list: ") + e.what());
  }
  return out;
}

}  // namespace

std::vector<std::string> NixCopyCache::nix(std::vector<std::string> args) const {
  std::vector<std::string> argv = {settings_.nixProgram, "--extra-experimental-features", "nix-command"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string NixCopyCache::copyDestination() const {
  if (settings_.secretKeyFile.empty()) return settings_.destination;
  const char separator = settings_.destination.find('?') == std::string::npos ? '?' : '&';
  return settings_.destination + separator + "secret-key=" + settings_.secretKeyFile;
}

sdk::Result<std::vector<NixCopyCache::PathSize>> NixCopyCache::closure(const std::vector<std::string>& paths,
                                                                       std::chrono::seconds timeout) {
  std::vector<std::string> args = {"path-info", "--json", "--recursive"};
  args.insert(args.end(), paths.begin(), paths.end());
  sdk::Credentials none;
  auto ran = PushProcess::run(host_.processes(), nix(args), PushProcess::environment(none, {}), timeout, none,
                              "nix path-info of the outputs");
  if (!ran) return std::move(ran).error();
  auto parsed = parsePathInfo(ran->stdoutText);
  if (!parsed) return std::move(parsed).error();
  std::vector<PathSize> out;
  for (const auto& [path, info] : *parsed) {
    if (info.first) out.push_back(PathSize{path, info.second});
  }
  return out;
}

sdk::Result<std::vector<bool>> NixCopyCache::held(const std::vector<std::string>& paths,
                                                  const sdk::Credentials& credentials, std::chrono::seconds timeout) {
  if (paths.empty()) return std::vector<bool>{};
  std::vector<std::string> args = {"path-info", "--json", "--store", settings_.destination};
  args.insert(args.end(), paths.begin(), paths.end());
  auto ran = PushProcess::run(host_.processes(), nix(args), PushProcess::environment(credentials, {}), timeout,
                              credentials, "nix path-info --store " + settings_.destination);
  if (!ran) return std::move(ran).error();
  auto parsed = parsePathInfo(ran->stdoutText);
  if (!parsed) return std::move(parsed).error();
  std::vector<bool> out;
  out.reserve(paths.size());
  for (const auto& path : paths) {
    auto it = parsed->find(path);
    out.push_back(it != parsed->end() && it->second.first);
  }
  return out;
}

sdk::Result<sdk::CachePushResult> NixCopyCache::push(const sdk::CachePushRequest& request) {
  sdk::CachePushResult result;
  if (request.storePaths.empty()) return result;
  auto credentials = CacheCredentials::fetch(host_, settings_.credentials);
  if (!credentials) return std::move(credentials).error();
  auto paths = closure(request.storePaths, request.timeout);
  if (!paths) return std::move(paths).error();
  std::vector<std::string> names;
  for (const auto& p : *paths) names.push_back(p.path);
  auto present = held(names, *credentials, request.timeout);
  if (!present) return std::move(present).error();
  std::uint64_t missingBytes = 0;
  std::size_t missing = 0;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if ((*present)[i]) {
      ++result.present;
    } else {
      ++missing;
      missingBytes += (*paths)[i].narSize;
    }
  }
  if (missing == 0) return result;
  std::vector<std::string> args = {"copy", "--to", copyDestination()};
  args.insert(args.end(), request.storePaths.begin(), request.storePaths.end());
  auto copied = PushProcess::run(host_.processes(), nix(args), PushProcess::environment(*credentials, {}),
                                 request.timeout, *credentials, "nix copy --to " + settings_.destination);
  if (!copied) return std::move(copied).error();
  result.pushed = missing;
  result.bytes = missingBytes;
  return result;
}

sdk::Result<std::vector<bool>> NixCopyCache::contains(const std::vector<std::string>& storePaths) {
  auto credentials = CacheCredentials::fetch(host_, settings_.credentials);
  if (!credentials) return std::move(credentials).error();
  return held(storePaths, *credentials, std::chrono::seconds(300));
}

}  // namespace ekaci::plugins::caches
