#pragma once

#include <memory>

#include "ekaci/sdk/CredentialSource.h"
#include "kernel/plugin_host/PluginCallGuard.h"

namespace ekaci::plugin_host {

// A credential source instance as the kernel holds it: every call goes through a
// PluginCallGuard.
class GuardedCredentialSource final : public sdk::CredentialSource {
 public:
  GuardedCredentialSource(std::unique_ptr<sdk::CredentialSource> inner, PluginCallGuard guard)
      : inner_(std::move(inner)), guard_(std::move(guard)) {}

  sdk::Result<void> start() override;
  void stop() override;
  sdk::Result<sdk::Credentials> fetch() override;
  std::string describe() const override;

 private:
  std::unique_ptr<sdk::CredentialSource> inner_;
  PluginCallGuard guard_;
};

}  // namespace ekaci::plugin_host
