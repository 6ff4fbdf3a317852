#pragma once

#include "ekaci/sdk/ForgeFactory.h"

namespace ekaci::gitea {

// The "gitea" forge type (Gitea and Forgejo): one instance per installation.
class GiteaForgeFactory : public sdk::ForgeFactory {
 public:
  std::string type() const override { return "gitea"; }
  std::string description() const override { return "Gitea and Forgejo: commit statuses, comments and merges."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Forge>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::gitea
