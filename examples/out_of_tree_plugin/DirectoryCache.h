#pragma once

#include <filesystem>

#include "ekaci/sdk/Cache.h"

namespace acme {

// A toy cache that records pushed store paths as marker files in a directory. It shows the
// shape of a third-party plugin; it does not copy NAR files. start() makes its directory
// (the server calls it once, before the first push; a refusal stops start-up).
class DirectoryCache : public ekaci::sdk::Cache {
 public:
  explicit DirectoryCache(std::filesystem::path directory) : directory_(std::move(directory) / "paths") {}
  ekaci::sdk::Result<void> start() override;
  ekaci::sdk::Result<ekaci::sdk::CachePushResult> push(const ekaci::sdk::CachePushRequest& request) override;
  ekaci::sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) override;
  std::string describe() const override { return "directory " + directory_.string(); }

 private:
  std::filesystem::path marker(const std::string& storePath) const;
  std::filesystem::path directory_;
};

}  // namespace acme
