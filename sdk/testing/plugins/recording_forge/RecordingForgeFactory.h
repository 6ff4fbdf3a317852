#pragma once

#include "ekaci/sdk/ForgeFactory.h"

namespace ekaci::reference {

class RecordingForgeFactory : public sdk::ForgeFactory {
 public:
  std::string type() const override { return "recording"; }
  std::string description() const override {
    return "Records every report, comment and merge to a file; webhooks are key=value lines (for tests).";
  }
  sdk::SettingsSchema settings() const override;
  sdk::Result<std::unique_ptr<sdk::Forge>> create(const sdk::Value& config, sdk::HostServices& host) const override;
};

}  // namespace ekaci::reference
