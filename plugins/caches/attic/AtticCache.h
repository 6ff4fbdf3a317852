#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "ekaci/sdk/Cache.h"

namespace ekaci::plugins::caches {

// `attic push ekaci:<cache> <paths>` to a self-hosted Attic server. The destination is the
// cache's address (https://attic.example.com/my-cache): the server's endpoint and the cache
// name. The token (ATTIC_TOKEN) goes into a private attic configuration written for each
// push under the plugin's state directory and removed afterwards — never onto a command
// line. What the cache holds is asked of <destination>/<hash>.narinfo.
class AtticCache : public sdk::Cache {
 public:
  struct Settings {
    std::string destination;  // without a trailing slash
    std::string endpoint;     // https://attic.example.com/
    std::string cacheName;
    std::string atticProgram = "attic";
    sdk::Value credentials;
  };

  AtticCache(Settings settings, sdk::HostServices& host) : settings_(std::move(settings)), host_(host) {}

  sdk::Result<sdk::CachePushResult> push(const sdk::CachePushRequest& request) override;
  sdk::Result<std::vector<bool>> contains(const std::vector<std::string>& storePaths) override;
  std::string describe() const override { return "attic " + settings_.destination; }

 private:
  sdk::Result<std::filesystem::path> writeConfiguration(const sdk::Secret& token) const;

  Settings settings_;
  sdk::HostServices& host_;
};

}  // namespace ekaci::plugins::caches
