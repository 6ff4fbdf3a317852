#include "DirectoryCache.h"

#include <fstream>

namespace acme {

ekaci::sdk::Result<void> DirectoryCache::start() {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec) {
    return ekaci::sdk::Error(ekaci::sdk::ErrorCode::IoError,
                             "cannot create " + directory_.string() + ": " + ec.message());
  }
  return ekaci::sdk::success();
}

std::filesystem::path DirectoryCache::marker(const std::string& storePath) const {
  return directory_ / std::filesystem::path(storePath).filename();
}

ekaci::sdk::Result<ekaci::sdk::CachePushResult> DirectoryCache::push(const ekaci::sdk::CachePushRequest& request) {
  ekaci::sdk::CachePushResult result;
  for (const auto& path : request.storePaths) {
    if (!path.starts_with("/nix/store/") || path.find("/..") != std::string::npos) {
      return ekaci::sdk::Error(ekaci::sdk::ErrorCode::InvalidArgument, "not a store path: " + path);
    }
    std::error_code ec;
    if (std::filesystem::exists(marker(path), ec)) {
      ++result.present;
      continue;
    }
    std::ofstream out(marker(path));
    out << request.repository << "\n";
    if (!out) return ekaci::sdk::Error(ekaci::sdk::ErrorCode::IoError, "cannot write " + marker(path).string());
    ++result.pushed;
  }
  return result;
}

ekaci::sdk::Result<std::vector<bool>> DirectoryCache::contains(const std::vector<std::string>& storePaths) {
  std::vector<bool> out;
  for (const auto& path : storePaths) {
    std::error_code ec;
    out.push_back(std::filesystem::exists(marker(path), ec));
  }
  return out;
}

}  // namespace acme
