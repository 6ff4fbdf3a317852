#include "cachekit/NarinfoProbe.h"

namespace ekaci::plugins::caches {

std::string NarinfoProbe::hashOf(const std::string& storePath) {
  const auto slash = storePath.rfind('/');
  const std::string base = slash == std::string::npos ? storePath : storePath.substr(slash + 1);
  if (base.size() < 33 || base[32] != '-') return "";
  for (std::size_t i = 0; i < 32; ++i) {
    const char c = base[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) return "";
  }
  return base.substr(0, 32);
}

sdk::Result<std::vector<bool>> NarinfoProbe::contains(sdk::HttpClient& http, const std::string& base,
                                                      const std::vector<std::string>& storePaths,
                                                      const sdk::Secret* token) {
  std::vector<bool> out;
  out.reserve(storePaths.size());
  for (const auto& path : storePaths) {
    const std::string hash = hashOf(path);
    if (hash.empty()) return sdk::Error(sdk::ErrorCode::InvalidArgument, "not a store path: " + path);
    sdk::HttpRequest request;
    request.method = "GET";
    request.url = base + "/" + hash + ".narinfo";
    if (token != nullptr) request.headers.emplace_back("Authorization", "Bearer " + std::string(token->reveal()));
    auto response = http.send(request);
    if (!response) {
      return sdk::Error(sdk::ErrorCode::CacheUnavailable,
                        "cannot ask " + base + " for " + hash + ".narinfo: " + response.error().message());
    }
    if (response->status == 200) {
      out.push_back(true);
    } else if (response->status == 404) {
      out.push_back(false);
    } else {
      return sdk::Error(sdk::ErrorCode::CacheUnavailable,
                        base + " answered " + std::to_string(response->status) + " for " + hash + ".narinfo");
    }
  }
  return out;
}

}  // namespace ekaci::plugins::caches
