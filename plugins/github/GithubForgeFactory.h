#pragma once

#include "ekaci/sdk/ForgeFactory.h"

namespace ekaci::github {

class GithubForgeFactory : public sdk::ForgeFactory {
 public:
  std::string type() const override { return "github"; }
  std::string description() const override {
    return "GitHub and GitHub Enterprise through GitHub Apps: webhooks, check runs, installation tokens.";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Forge>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::github
