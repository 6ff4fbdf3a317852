#pragma once

#include <mutex>
#include <set>
#include <string>

#include "ekaci/sdk/Cache.h"

namespace ekaci::reference {

// A cache that keeps pushed store paths in memory: the reference Cache implementation.
class MemoryCache : public sdk::Cache {
 public:
  explicit MemoryCache(std::string name) : name_(std::move(name)) {}
  sdk::Result<sdk::CachePushResult> push(const sdk::CachePushRequest& request) override;
  sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) override;
  std::string describe() const override { return "memory://" + name_; }

 private:
  std::string name_;
  std::mutex mutex_;
  std::set<std::string> paths_;
};

}  // namespace ekaci::reference
