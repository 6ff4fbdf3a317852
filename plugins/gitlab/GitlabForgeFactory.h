#pragma once

#include "ekaci/sdk/ForgeFactory.h"

namespace ekaci::gitlab {

// The "gitlab" forge type: one instance per GitLab installation.
class GitlabForgeFactory : public sdk::ForgeFactory {
 public:
  std::string type() const override { return "gitlab"; }
  std::string description() const override { return "GitLab: commit statuses, notes, award emoji and merges."; }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Forge>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::gitlab
